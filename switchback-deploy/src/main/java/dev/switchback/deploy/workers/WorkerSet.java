package dev.switchback.deploy.workers;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchback.deploy.DeployConfig;
import dev.switchback.deploy.RestartBackoff;
import dev.switchback.deploy.Slot;
import dev.switchback.deploy.StateStore;
import dev.switchback.deploy.notify.DeployEvent;
import dev.switchback.deploy.notify.DeployEventType;
import dev.switchback.migration.ErrorCode;
import dev.switchback.migration.SwitchbackException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntPredicate;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The {@code deploy.workers} of each slot: started with a release, health-gated, restarted when they exit (with
 * {@link RestartBackoff}, per instance), stopped with the slot, adopted after a daemon restart by pid and start time.
 * What runs is recorded in {@code workers.json} (written atomically), slot by slot; a slot without an entry has no workers.
 */
public final class WorkerSet implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WorkerSet.class);
    private static final ObjectMapper JSON = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    /** An instance that ran this long before it exited starts its backoff from the first delay again. */
    private static final Duration STABLE = Duration.ofSeconds(60);
    private final DeployConfig config;
    private final List<WorkerSettings> settings;
    private final Path file;
    private final WorkerLauncher launcher;
    private final WorkerGate gate = new WorkerGate();
    // per instance ("blue/queue#0"): consecutive restarts and when the next one is due; guarded by this
    private final Map<String, Integer> attempts = new HashMap<>();
    private final Map<String, Long> dueAt = new HashMap<>();
    // per running process (pid): failed checks in a row, counted only once it has passed one (a starting worker is the gate's);
    // changed under "this", read without it by servingPorts (the router's pool must not wait for a stop in progress)
    private final Map<Long, Integer> failedChecks = new java.util.concurrent.ConcurrentHashMap<>();
    private ScheduledExecutorService watch;
    // hands workers over after a failover, away from the liveness watch's lock (a gate may take the health timeout)
    private final java.util.concurrent.ExecutorService handOver = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "switchback-workers-failover");
        t.setDaemon(true);
        return t;
    });

    public WorkerSet(DeployConfig config, Path file) {
        this.config = config;
        this.settings = config.workers();
        this.file = file;
        this.launcher = new WorkerLauncher(config);
    }

    /** Whether any worker is configured: without one, nothing here runs or is written. */
    public boolean configured() {
        return !settings.isEmpty();
    }

    /**
     * Starts what {@code release} lacks in {@code slot} (instances of it already running are kept), then waits until every
     * instance is healthy. On failure the slot's workers are stopped and the reason returned; on success null. The wait
     * holds no lock: status and the restart watch go on meanwhile (an instance that exits during it fails it).
     */
    public String startAndGate(Slot slot, String release, Duration timeout) {
        return startAndGate(slot, release, timeout, w -> true, i -> true, true);
    }

    /** As {@link #startAndGate}, the {@code overlap: true} workers only: those a release keeps while it does not serve. */
    public String startOverlapping(Slot slot, String release, Duration timeout) {
        return startAndGate(slot, release, timeout, WorkerSettings::overlap, i -> true, true);
    }

    /**
     * A rolling update's batch: the instances of the workers {@code which} picks (numbers {@code instances} picks) that
     * {@code release} lacks in {@code slot} start, the slot's others stay; then all of them are gated. On failure only
     * these are stopped, and the reason returned; null when healthy.
     */
    public String startAndGate(Slot slot, String release, Duration timeout, Predicate<WorkerSettings> which, IntPredicate instances) {
        return startAndGate(slot, release, timeout, which, instances, false);
    }

    private String startAndGate(Slot slot, String release, Duration timeout, Predicate<WorkerSettings> which, IntPredicate instances,
                                boolean stopSlotOnFailure) {
        if (settings.stream().noneMatch(which)) {
            return null;
        }
        List<WorkerProcess> next = start(slot, release, which, instances);
        List<Map<String, String>> envs = next.stream().map(p -> launcher.env(settingsOf(p), slot, release, p.instance(), p.port())).toList();
        WorkerGate.Result r = gate.await(settings, next, envs, config.workingDirectory(), timeout);
        if (r.healthy()) {
            synchronized (this) {
                next.forEach(p -> failedChecks.put(p.pid(), 0));
            }
            log.info("Workers of {} in {} are healthy: {}", release, slot.id(), next.stream().map(WorkerProcess::key).toList());
            return null;
        }
        if (stopSlotOnFailure) {
            stop(slot);
        } else {
            stop(slot, next::contains);
        }
        return r.reason();
    }

    private synchronized List<WorkerProcess> start(Slot slot, String release, Predicate<WorkerSettings> which, IntPredicate instances) {
        Map<String, List<WorkerProcess>> all = read();
        List<WorkerProcess> current = all.getOrDefault(slot.id(), List.of());
        if (current.stream().anyMatch(p -> !release.equals(p.release()))) {
            stopNow(current);
            current = List.of();
        }
        List<WorkerProcess> next = new ArrayList<>();
        List<WorkerProcess> record = new ArrayList<>(current);
        for (WorkerSettings w : settings.stream().filter(which).toList()) {
            for (int i = w.firstInstance(); i < w.replicas(); i++) {
                int instance = i;
                if (!instances.test(instance)) {
                    continue;
                }
                WorkerProcess kept = current.stream().filter(p -> p.name().equals(w.name()) && p.instance() == instance && p.running())
                        .findFirst().orElse(null);
                WorkerProcess p = kept != null ? kept : launcher.start(w, slot, release, instance, 0);
                next.add(p);
                record.removeIf(q -> q.name().equals(w.name()) && q.instance() == instance);
                record.add(p);
                forget(slot, w.name() + "#" + instance);
            }
        }
        all.put(slot.id(), record);
        write(all);
        return next;
    }

    /** What the slot's record lists: every instance of every worker (and web replica), running or waiting for a restart. */
    public List<WorkerProcess> list(Slot slot) {
        return read().getOrDefault(slot.id(), List.of());
    }

    /** Stops the slot's instances {@code which} picks (a rolling update's replaced ones); the others keep running. */
    public synchronized void stop(Slot slot, Predicate<WorkerProcess> which) {
        Map<String, List<WorkerProcess>> all = read();
        List<WorkerProcess> current = all.getOrDefault(slot.id(), List.of());
        List<WorkerProcess> gone = current.stream().filter(which).toList();
        if (gone.isEmpty()) {
            return;
        }
        List<WorkerProcess> kept = current.stream().filter(which.negate()).toList();
        if (kept.isEmpty()) {
            all.remove(slot.id());
        } else {
            all.put(slot.id(), kept);
        }
        write(all);
        gone.forEach(p -> forget(slot, p.key()));
        stopNow(gone);
    }

    /** Whether the web process runs more than one instance ({@code deploy.service.replicas}): its replicas are here. */
    public boolean runsWebReplicas() {
        return settings.stream().anyMatch(WorkerSettings::web);
    }

    /** {@code deploy.service.replicas}: instances of the web process per slot. */
    public int webReplicas() {
        return settings.stream().filter(WorkerSettings::web).mapToInt(WorkerSettings::replicas).findFirst().orElse(1);
    }

    /**
     * The ports of the slot's web replicas that passed their health gate (or were adopted running) and still run, and whose
     * last liveness check passed: those the router may balance over (one that fails a check leaves the pool until a check
     * passes again). Reads the record without waiting for a start or stop in progress.
     */
    public List<Integer> servingPorts(Slot slot) {
        List<Integer> out = new ArrayList<>();
        for (WorkerProcess p : read().getOrDefault(slot.id(), List.of())) {
            if (p.name().equals(WorkerSettings.WEB) && p.pid() != null && Integer.valueOf(0).equals(failedChecks.get(p.pid()))
                    && p.running()) {
                out.add(p.port());
            }
        }
        return out;
    }

    /** Stops every worker of the slot (cleanup, a failed or aborted release). */
    public synchronized void stop(Slot slot) {
        if (!configured()) {
            return;
        }
        Map<String, List<WorkerProcess>> all = read();
        List<WorkerProcess> gone = all.remove(slot.id());
        if (gone != null) {
            write(all);
            stopNow(gone);
        }
    }

    /** {@code overlap: false}: the slot's instances of those workers stop (the other release's are healthy now). */
    public void stopReplaced(Slot slot) {
        if (configured()) {
            stop(slot, p -> !overlaps(p));
        }
    }

    /**
     * After a daemon (re)start: instances whose pid still names the process they were are adopted as they run; the others
     * are recorded as exited and restarted by the watch. Nothing is started twice. Then the watch begins. Web replicas
     * adopted in {@code gating} (the slot a live rolling update starts instances in; null: none) may have been in the
     * middle of their health gate: they serve once it (run again by the update) or a liveness check passes.
     */
    public synchronized void adopt(Slot gating) {
        if (!configured()) {
            return;
        }
        Map<String, List<WorkerProcess>> all = read();
        all.replaceAll((slot, list) -> list.stream().map(p -> {
            if (p.running()) {
                log.info("Adopted worker {} of {} in {} (pid {})", p.key(), p.release(), slot, p.pid());
                if (!(p.name().equals(WorkerSettings.WEB) && gating != null && gating.id().equals(slot))) {
                    failedChecks.put(p.pid(), 0);
                }
                return p;
            }
            if (p.pid() != null) {
                log.warn("Worker {} of {} in {} (pid {}) is gone; it will be restarted", p.key(), p.release(), slot, p.pid());
            }
            return p.exited();
        }).toList());
        write(all);
        if (watch != null) {
            return;
        }
        watch = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "switchback-workers");
            t.setDaemon(true);
            return t;
        });
        watch.scheduleWithFixedDelay(this::restartExited, 250, 250, TimeUnit.MILLISECONDS);
        long live = config.failover().liveInterval().toMillis();
        watch.scheduleWithFixedDelay(this::checkRunning, live, live, TimeUnit.MILLISECONDS);
    }

    /**
     * A failover to the warm standby moved traffic: the standby's workers start (and are gated) in the background, then
     * the dead release's workers with {@code overlap: false} stop; when the new ones fail their gate the old ones stay.
     */
    public void followFailover(DeployEvent event) {
        if (!configured() || event.type() != DeployEventType.FAILOVER || event.details() == null
                || !(event.details().get("to") instanceof String to) || !(event.details().get("slot") instanceof String from)) {
            return;
        }
        try {
            handOver.execute(() -> handOver(event.release(), Slot.parse(from), Slot.parse(to)));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            log.warn("The daemon is stopping: {}'s workers are not started in {} after the failover", event.release(), to);
        }
    }

    private void handOver(String release, Slot from, Slot to) {
        String unhealthy = startAndGate(to, release, config.healthTimeout());
        if (unhealthy == null) {
            stopReplaced(from);
        } else {
            log.warn("After the failover to {}, {}'s workers did not become healthy; {}'s keep running: {}", to.id(), release,
                    from.id(), unhealthy);
        }
    }

    /** What {@code upgrade status} lists for the slot's workers: one line per instance, health checked now (no lock held). */
    public List<ProcessView> view(Slot slot) {
        List<ProcessView> out = new ArrayList<>();
        for (WorkerProcess p : read().getOrDefault(slot.id(), List.of())) {
            boolean running = p.running();
            String health = running && settingsOrNull(p) != null ? gate.check(settingsOf(p), p, launcher.env(settingsOf(p), slot, p.release(), p.instance(),
                    p.port()), config.workingDirectory()) : "-";
            out.add(new ProcessView(p.name(), p.instance(), running ? p.pid() : null, running ? p.port() : null,
                    running ? "running" : "exited", health.equals("ok") ? "healthy" : health, p.restarts()));
        }
        return out;
    }

    /** The watch: an instance that exited is started again once its backoff has passed. */
    private synchronized void restartExited() {
        try {
            Map<String, List<WorkerProcess>> all = read();
            boolean changed = false;
            long now = System.nanoTime();
            for (Map.Entry<String, List<WorkerProcess>> e : all.entrySet()) {
                Slot slot = Slot.parse(e.getKey());
                List<WorkerProcess> next = new ArrayList<>();
                for (WorkerProcess p : e.getValue()) {
                    String key = slot.id() + "/" + p.key();
                    if (p.running() || settingsOrNull(p) == null) {
                        next.add(p);
                        continue;
                    }
                    Long due = dueAt.get(key);
                    if (p.pid() != null) {
                        failedChecks.remove(p.pid());
                    }
                    if (due == null) {
                        boolean stable = p.started() != null && Instant.parse(p.started()).plus(STABLE).isBefore(Instant.now());
                        int attempt = stable ? 0 : attempts.getOrDefault(key, 0);
                        attempts.put(key, attempt + 1);
                        Duration delay = RestartBackoff.delay(attempt);
                        dueAt.put(key, now + delay.toNanos());
                        log.warn("Worker {} of {} in {} exited; restarting it in {} ms", p.key(), p.release(), slot.id(), delay.toMillis());
                        next.add(p.pid() == null ? p : p.exited());
                        changed |= p.pid() != null;
                    } else if (now >= due) {
                        dueAt.remove(key);
                        next.add(launcher.start(settingsOf(p), slot, p.release(), p.instance(), p.restarts() + 1));
                        changed = true;
                    } else {
                        next.add(p);
                    }
                }
                e.setValue(next);
            }
            if (changed) {
                write(all);
            }
        } catch (RuntimeException e) {
            log.warn("Worker watch: {}", e.getMessage(), e);
        }
    }

    /**
     * The liveness watch of workers: each running instance with a health check is checked every liveInterval; after
     * unhealthyThreshold failures in a row it is stopped, and the restart watch starts it again. Checks run without the lock.
     */
    private void checkRunning() {
        try {
            for (Map.Entry<String, List<WorkerProcess>> e : read().entrySet()) {
                Slot slot = Slot.parse(e.getKey());
                for (WorkerProcess p : e.getValue()) {
                    WorkerSettings w = settingsOrNull(p);
                    if (w == null || w.health().kind() == WorkerHealth.Kind.NONE || !p.running()) {
                        continue;
                    }
                    String seen = gate.check(w, p, launcher.env(w, slot, p.release(), p.instance(), p.port()), config.workingDirectory());
                    if (seen.equals("ok")) {
                        synchronized (this) {
                            failedChecks.put(p.pid(), 0);
                        }
                        continue;
                    }
                    if (!unhealthyNow(slot, p)) {
                        continue;
                    }
                    log.warn("Worker {} of {} in {} (pid {}) failed {} health checks in a row (last: {}); stopping it to restart it",
                            p.key(), p.release(), slot.id(), p.pid(), config.failover().unhealthyThreshold(), seen);
                    launcher.stop(List.of(p), Map.of(w.name(), w.stopTimeout()));
                }
            }
        } catch (RuntimeException e) {
            log.warn("Worker health watch: {}", e.getMessage(), e);
        }
    }

    /** Counts one failed check of a process that passed before; true when it reached the threshold and is still on record. */
    private synchronized boolean unhealthyNow(Slot slot, WorkerProcess p) {
        Integer failed = failedChecks.get(p.pid());
        if (failed == null) {
            return false;
        }
        failedChecks.put(p.pid(), failed + 1);
        if (failed + 1 < config.failover().unhealthyThreshold()
                || !read().getOrDefault(slot.id(), List.of()).contains(p)) {
            return false;
        }
        failedChecks.remove(p.pid());
        return true;
    }

    private void forget(Slot slot, String key) {
        attempts.remove(slot.id() + "/" + key);
        dueAt.remove(slot.id() + "/" + key);
    }

    private void stopNow(List<WorkerProcess> processes) {
        launcher.stop(processes, settings.stream().collect(Collectors.toMap(WorkerSettings::name, WorkerSettings::stopTimeout)));
    }

    private WorkerSettings settingsOf(WorkerProcess p) {
        WorkerSettings w = settingsOrNull(p);
        if (w == null) {
            throw new SwitchbackException(ErrorCode.CONFIG, "worker " + p.name() + " runs but deploy.workers no longer names it");
        }
        return w;
    }

    private boolean overlaps(WorkerProcess p) {
        WorkerSettings w = settingsOrNull(p);
        return w != null && w.overlap();
    }

    private WorkerSettings settingsOrNull(WorkerProcess p) {
        return settings.stream().filter(s -> s.name().equals(p.name())).findFirst().orElse(null);
    }

    private Map<String, List<WorkerProcess>> read() {
        if (!Files.exists(file)) {
            return new TreeMap<>();
        }
        try {
            return new TreeMap<>(JSON.readValue(file.toFile(), new TypeReference<Map<String, List<WorkerProcess>>>() { }));
        } catch (IOException e) {
            throw new SwitchbackException(ErrorCode.FAILED, file + " is unreadable (" + e.getMessage() + "); the workers it "
                    + "lists may still run: stop them by the pids in it, then move it away", e);
        }
    }

    private void write(Map<String, List<WorkerProcess>> all) {
        StateStore.writeAtomically(file, all);
    }

    /** Stops the watch; the workers keep running (a new daemon adopts them). */
    @Override
    public void close() {
        if (watch != null) {
            watch.shutdownNow();
        }
        handOver.shutdownNow();
    }
}

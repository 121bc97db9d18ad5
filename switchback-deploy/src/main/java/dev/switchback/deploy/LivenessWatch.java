package dev.switchback.deploy;

import dev.switchback.deploy.notify.DeployEvent;
import dev.switchback.deploy.notify.DeployEventType;
import dev.switchback.migration.SwitchbackException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Watches the active release and acts when it dies ({@code deploy.failover}). Its exit is seen at once: the supervisor
 * reports the exit of a release it started, and the recorded pid is polled every {@link #PID_POLL} for one it adopted.
 * Every {@code liveInterval} the health check runs too; {@code unhealthyThreshold} failures in a row make a running
 * release dead.
 *
 * <p>Everything it changes it changes under the deployer's lock, after reading state.json again: a release stopped on
 * purpose (cleanup, stop, a perform making room) is no longer the active slot's recorded process by the time the watch
 * gets the lock, so it is never taken for a failure. Restarts wait their backoff and health gate without the lock, and
 * give up as soon as an operator's action has put something else in the slot.
 */
final class LivenessWatch implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LivenessWatch.class);
    static final Duration PID_POLL = Duration.ofMillis(100);
    private static final int TAIL = 10;
    private final Object lock;
    private final DeployConfig config;
    private final StateStore store;
    private final Supervisor supervisor;
    private final HealthGate gate;
    private final TrafficControl traffic;
    private final DeploymentHistory history;
    private final Snapshots snapshots;
    private final DeployListener listener;
    private final Consumer<DeployEvent> events;
    /** Told of each failover before it acts, so a live rollout ends instead of judging (or switching back) on its own. */
    private final BiConsumer<Slot, String> failedOver;
    /** The slot's other web instances serving now (replicas): while one does, a dead instance 0 is restarted in place. */
    private final java.util.function.ToIntFunction<Slot> replicasServing;
    /** What this watch last wrote for a slot it restarts: a restart goes ahead only while the record is exactly that. */
    private final Map<Slot, SlotState> wrote = new ConcurrentHashMap<>();
    // ticks and pid polls; never blocked by a lock or a health gate
    private final ScheduledExecutorService timer = Executors.newScheduledThreadPool(2, daemon("switchback-liveness"));
    // failovers and restarts: they wait for the deployer's lock and for health gates
    private final ExecutorService work = Executors.newCachedThreadPool(daemon("switchback-failover"));
    /** Slots with a restart under way (waiting its backoff or its health gate): not judged again meanwhile. */
    private final Set<Slot> restarting = ConcurrentHashMap.newKeySet();
    /** Deaths already handled, by slot, start time and pid: the exit report and the pid poll both see one exit. */
    private final Set<String> handled = ConcurrentHashMap.newKeySet();
    /** Restarts that failed in a row, by slot ordinal; guarded by {@link #lock}. */
    private final int[] attempts = new int[2];
    /** Failed health checks in a row of the active release; only the tick touches it. */
    private int failedChecks;
    /** The active slot as the last tick read it, for the pid poll. */
    private volatile Watched watched;
    private volatile boolean closed;

    private record Watched(Slot slot, SlotState state) {
    }

    LivenessWatch(Object lock, DeployConfig config, StateStore store, Supervisor supervisor, HealthGate gate, TrafficControl traffic,
                  DeploymentHistory history, Snapshots snapshots, DeployListener listener, Consumer<DeployEvent> events,
                  BiConsumer<Slot, String> failedOver, java.util.function.ToIntFunction<Slot> replicasServing) {
        this.replicasServing = replicasServing;
        this.lock = lock;
        this.config = config;
        this.store = store;
        this.supervisor = supervisor;
        this.gate = gate;
        this.traffic = traffic;
        this.history = history;
        this.snapshots = snapshots;
        this.listener = listener;
        this.events = events;
        this.failedOver = failedOver;
    }

    void start() {
        supervisor.onExit((pid, code) -> submit(() -> died(pid, "exited (exit code " + code + ")", false)));
        long every = config.failover().liveInterval().toMillis();
        timer.scheduleWithFixedDelay(this::tick, 0, every, TimeUnit.MILLISECONDS);
        timer.scheduleWithFixedDelay(this::pollPid, PID_POLL.toMillis(), PID_POLL.toMillis(), TimeUnit.MILLISECONDS);
        log.info("Watching the active release every {} ms (deploy.failover: {})", every, config.failover().mode().id());
    }

    private void tick() {
        try {
            DeploymentState st = store.read();
            Slot active = st.activeSlot();
            if (active == null || restarting.contains(active)) {
                watched = null;
                failedChecks = 0;
                return;
            }
            SlotState s = st.slot(active);
            watched = new Watched(active, s);
            if (!s.running()) {
                failedChecks = 0;
                submit(() -> died(s.pid(), "is not running", false));
                return;
            }
            HealthGate.Probe seen = gate.check(s.port());
            if (s.state() == SlotStatus.FAILED && seen.healthy()) {
                submit(() -> recovered(active, s));
            }
            failedChecks = seen.healthy() ? 0 : failedChecks + 1;
            if (failedChecks >= config.failover().unhealthyThreshold()) {
                failedChecks = 0;
                submit(() -> died(s.pid(), "did not answer its health check " + config.failover().unhealthyThreshold()
                        + " times in a row (last: " + seen + ")", true));
            }
        } catch (RuntimeException e) {
            log.warn("Liveness check failed: {}", e.getMessage());
        }
    }

    private void pollPid() {
        Watched w = watched;
        if (w != null && w.state().pid() != null && !restarting.contains(w.slot()) && !w.state().process().alive()) {
            watched = null;
            submit(() -> died(w.state().pid(), "exited", false));
        }
    }

    /**
     * The active release was recorded failed while it ran (adopted by a restarted daemon while slow to answer) and now
     * answers: routed again and marked active, if the record is still exactly what the tick saw.
     */
    private void recovered(Slot slot, SlotState seen) {
        synchronized (lock) {
            DeploymentState st = store.read();
            if (closed || st.activeSlot() != slot || !st.slot(slot).equals(seen) || !seen.running()) {
                return;
            }
            traffic.route(slot, seen.port());
            store.write(st.with(slot, seen.withState(SlotStatus.ACTIVE)));
            listener.switched(slot);
            history.append("recovered", slot, slot, seen.release(), "success", "the active release answers its health check "
                    + "again; traffic flows to it");
            log.info("{} in {} answers its health check again; traffic flows to it", seen.release(), slot.id());
        }
    }

    /** The active slot's recorded process {@code pid} died or hangs: fail over, restart, or only record it. */
    private void died(Long pid, String how, boolean unhealthy) {
        long seenAt = System.nanoTime();
        synchronized (lock) {
            DeploymentState st = store.read();
            Slot active = st.activeSlot();
            if (closed || active == null || restarting.contains(active)) {
                return;
            }
            SlotState dead = st.slot(active);
            // not the release serving now (stopped on purpose, or already handled), or alive after all
            if (!Objects.equals(dead.pid(), pid) || !unhealthy && dead.running()
                    || !handled.add(active.id() + "/" + dead.started() + "/" + pid)) {
                return;
            }
            String what = dead.release() + " in " + active.id() + (pid == null ? "" : " (pid " + pid + ")") + " " + how;
            String tail = Supervisor.tail(dead.log(), TAIL);
            log.warn("{}; last lines of {}:\n{}", what, dead.log(), tail);
            FailoverMode mode = config.failover().mode();
            if (mode == FailoverMode.NONE) {
                listener.activeDied("none");
                history.append("exit", active, null, dead.release(), unhealthy ? "unhealthy" : "exited",
                        what + "; deploy.failover is none: nothing done. Last lines:\n" + tail);
                events.accept(DeployEvent.of(DeployEventType.FAILOVER, dead.release(), active.id(),
                        what + "; deploy.failover is none: nothing done"));
                return;
            }
            Slot other = active.other();
            SlotState standby = st.slot(other);
            int replicas = replicasServing.applyAsInt(active);
            boolean warm = replicas == 0 && mode == FailoverMode.STANDBY && standby.running() && standby.state() == SlotStatus.STANDBY
                    && gate.check(standby.port()).healthy();
            // decided above on the record as it was (a canary is no failover target); the rollout ends before anything moves;
            // one instance of several dying is no failover: the others serve while it restarts
            try {
                if (replicas == 0) {
                    failedOver.accept(active, what);
                }
            } catch (RuntimeException e) {
                log.error("The live rollout could not be ended before the failover; the failover goes on", e);
            }
            st = store.read();
            // a hung release keeps its pid on record, so the restart stops it first
            SlotState failed = unhealthy ? dead.withState(SlotStatus.FAILED) : dead.stopped(SlotStatus.FAILED);
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("died", dead.release());
            details.put("slot", active.id());
            details.put("how", how);
            if (warm) {
                traffic.route(other, standby.port());
                listener.activeDied("standby");
                long ms = (System.nanoTime() - seenAt) / 1_000_000;
                store.write(st.with(other, standby.withState(SlotStatus.ACTIVE)).withActive(other).with(active, failed));
                wrote.put(active, failed);
                snapshots.markActive(other);
                listener.switched(other);
                String done = "traffic moved to " + standby.release() + " in " + other.id() + " (" + ms + " ms after the death was seen); "
                        + dead.release() + " is restarted in " + active.id() + " and stays standby";
                log.warn("Failover: {}", done);
                history.append("failover", active, other, standby.release(), "success", what + "; " + done + ". Last lines:\n" + tail);
                details.put("to", other.id());
                details.put("routedInMs", ms);
                events.accept(new DeployEvent(DeployEventType.FAILOVER, standby.release(), other.id(), what + "; " + done, details, null));
            } else {
                store.write(st.with(active, failed));
                wrote.put(active, failed);
                listener.activeDied("restart");
                String done = replicas > 0 ? "restarting instance 0 in place; " + replicas + " other instance(s) serve meanwhile"
                        : (mode == FailoverMode.STANDBY ? "no warm, healthy standby; " : "")
                        + "restarting it in place (requests get 502 with Retry-After meanwhile)";
                log.warn("Failover: {}", done);
                history.append("failover", active, active, dead.release(), "restarting", what + "; " + done + ". Last lines:\n" + tail);
                events.accept(new DeployEvent(DeployEventType.FAILOVER, dead.release(), active.id(), what + "; " + done, details, null));
            }
            if (upFor(dead).compareTo(RestartBackoff.MAX) >= 0) {
                attempts[active.ordinal()] = 0;
            }
            restarting.add(active);
            scheduleRestart(active, dead.release(), attempts[active.ordinal()]);
        }
    }

    private static Duration upFor(SlotState s) {
        try {
            return Duration.between(Instant.parse(s.started()), Instant.now());
        } catch (RuntimeException e) {
            return Duration.ZERO;
        }
    }

    private void scheduleRestart(Slot slot, String release, int attempt) {
        Duration d = RestartBackoff.delay(attempt);
        log.info("Restarting {} in {} in {} ms (restart {})", release, slot.id(), d.toMillis(), attempt + 1);
        try {
            timer.schedule(() -> submit(() -> restart(slot, release, attempt)), d.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            restarting.remove(slot);
        }
    }

    /** One restart of {@code release} in {@code slot}; on failure the next is scheduled with a longer wait. */
    private void restart(Slot slot, String release, int attempt) {
        SlotState old = current(slot, release);
        if (old == null) {
            return;
        }
        if (old.process() != null && old.process().anyAlive()) {
            supervisor.stop(old); // the hung release: outside the lock, stopping may take the stop timeout
        }
        SlotState started;
        synchronized (lock) {
            if (!old.equals(current(slot, release))) {
                return;
            }
            try {
                started = supervisor.start(slot, release);
            } catch (SwitchbackException e) {
                log.warn("Cannot restart {} in {}: {}", release, slot.id(), e.getMessage());
                history.append("restart", null, slot, release, "failed", e.getMessage());
                attempts[slot.ordinal()] = attempt + 1;
                scheduleRestart(slot, release, attempt + 1);
                return;
            }
            store.write(store.read().with(slot, started));
        }
        HealthGate.Result h = gate.await(started, config.healthTimeout());
        synchronized (lock) {
            DeploymentState st = store.read();
            SlotState now = st.slot(slot);
            if (closed || !Objects.equals(now.pid(), started.pid())) {
                // an operator's perform, rollback or cleanup dealt with this slot meanwhile: theirs stands
                restarting.remove(slot);
                return;
            }
            if (h.healthy() && started.running()) {
                restarting.remove(slot);
                attempts[slot.ordinal()] = attempt + 1;
                if (st.activeSlot() == slot) {
                    traffic.route(slot, started.port());
                    store.write(st.with(slot, started.withState(SlotStatus.ACTIVE)));
                    history.append("restart", slot, slot, release, "success", "restarted in place (restart " + (attempt + 1)
                            + "); traffic flows to it again");
                    log.info("{} restarted in {} and serves again", release, slot.id());
                } else {
                    store.write(st.with(slot, started.withState(SlotStatus.STANDBY)));
                    Slot active = st.activeSlot();
                    String serving = active == null ? "nothing" : st.slot(active).release() + " in " + active.id();
                    history.append("restart", null, slot, release, "success", "restarted (restart " + (attempt + 1)
                            + "); warm as standby, traffic stays on " + serving);
                    log.info("{} restarted in {}; traffic stays on {}", release, slot.id(), serving);
                }
                return;
            }
            supervisor.stop(started);
            store.write(store.read().with(slot, started.stopped(SlotStatus.FAILED)));
            wrote.put(slot, started.stopped(SlotStatus.FAILED));
            history.append("restart", null, slot, release, "failed", h.reason());
            log.warn("Restart {} of {} in {} failed: {}", attempt + 1, release, slot.id(), h.reason());
            attempts[slot.ordinal()] = attempt + 1;
            scheduleRestart(slot, release, attempt + 1);
        }
    }

    /** The slot's record while it still holds {@code release} as failed or starting by us; null (and the restart given up) otherwise. */
    private SlotState current(Slot slot, String release) {
        synchronized (lock) {
            SlotState s = store.read().slot(slot);
            // "failed, same release" is not enough: a watch's switch back or an operator's rollback records that too
            if (closed || !release.equals(s.release()) || s.state() != SlotStatus.FAILED || !s.equals(wrote.get(slot))) {
                if (!closed) {
                    log.info("Restart of {} in {} given up: the slot now holds {} ({}), put there by an operator's action",
                            release, slot.id(), s.release(), s.state().id());
                }
                restarting.remove(slot);
                return null;
            }
            return s;
        }
    }

    private void submit(Runnable r) {
        try {
            work.execute(() -> {
                try {
                    r.run();
                } catch (RuntimeException e) {
                    log.warn("Failover step failed: {}", e.getMessage(), e);
                }
            });
        } catch (RejectedExecutionException e) {
            // closing
        }
    }

    @Override
    public void close() {
        closed = true;
        timer.shutdownNow();
        work.shutdownNow();
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}

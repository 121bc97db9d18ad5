package dev.switchback.deploy.rollout;

import dev.switchback.deploy.Slot;
import dev.switchback.deploy.SlotTraffic;
import dev.switchback.deploy.Stickiness;
import dev.switchback.deploy.TrafficControl;
import dev.switchback.deploy.analysis.AnalysisSettings;
import dev.switchback.deploy.analysis.Judge;
import dev.switchback.deploy.analysis.Verdict;
import dev.switchback.deploy.notify.DeployEvent;
import dev.switchback.deploy.notify.DeployEventType;
import dev.switchback.migration.ErrorCode;
import dev.switchback.migration.SwitchbackException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs the latest rollout in the daemon: looks every second (on its own thread, or {@link #tick()} from a test with a
 * virtual clock), asks the judge, moves weights, pauses, promotes or rolls back, and records each decision with its
 * numbers in rollout.json. A strategy ({@link Canary}, {@link BlueGreenWatch}) decides what a look means; the engine
 * holds what they share. The rollout belongs to the daemon: a CLI that goes away stops nothing.
 *
 * <p>Every change runs under {@code lock}, the deployer's monitor, so a rollout step and a perform, switch or rollback
 * never interleave.
 */
public final class RolloutEngine {
    private static final Logger log = LoggerFactory.getLogger(RolloutEngine.class);
    /** How often the active slot's counters are kept, for the blue-green watch's "before the switch". */
    private static final Duration SAMPLE_EVERY = Duration.ofSeconds(5);

    /** What the engine needs from the deployer: slots, and the moves that change state.json and the history. */
    public interface Host {
        /** The port of the slot's running process, or null when none runs there. */
        Integer runningPort(Slot slot);

        Slot activeSlot();

        /** The canary reached 100: it becomes the active slot exactly as after a blue-green switch; stable stays warm. */
        void promote(Slot canary, String detail);

        /** Traffic is already back on stable: stop the canary and record why. */
        void stopCanary(Slot canary, String outcome, String detail);

        /** Whether the slot's release runs and answers its health check now: the only kind traffic is moved back to. */
        boolean serves(Slot slot);

        /** Tells the {@code deploy.notify} webhooks; returns at once. */
        void publish(DeployEvent event);

        /** A canary left out of traffic but healthy: recorded as the warm standby. */
        void standBy(Slot canary, String detail);

        /** The watched release failed: traffic back to the warm previous release, the watched one stopped. */
        void switchBack(Slot previous, Slot watched, String detail);
    }

    final Object lock;
    final Clock clock;
    final TrafficControl traffic;
    final Host host;
    final AnalysisSettings analysis;
    private final RolloutStore store;
    private volatile Rollout current;
    private RolloutStrategy strategy;
    // the step's judge and the counters it started from: guarded by lock
    Judge judge;
    /** The end of {@code deploy.analysis.warmup} after the new release's processes last started to take traffic. */
    Instant warmUntil = Instant.EPOCH;
    SlotTraffic canaryBase = SlotTraffic.NONE;
    SlotTraffic stableBase = SlotTraffic.NONE;
    Instant progress;
    private Instant lastRecorded;
    private String lastCause;
    // guarded by lock: the active slot's counters every SAMPLE_EVERY, oldest first
    private final ArrayDeque<Sample> samples = new ArrayDeque<>();
    private Duration keepSamples = Duration.ofMinutes(5);
    // deploy.analysis.prometheus and its latest answer in this step: guarded by lock
    private ExternalMetric external;
    private Instant externalAt;
    OptionalDouble externalValue = OptionalDouble.empty();
    // the deployer's instances and deploy.rolling, for rolling updates (null where the host has none): guarded by lock
    private InstanceMoves instances;
    private RollingSettings rolling = RollingSettings.DEFAULTS;
    private ScheduledExecutorService ticker;
    // set by close(): no look runs after it, whatever thread asks
    private volatile boolean closed;

    private record Sample(Instant at, Slot slot, SlotTraffic traffic) {
    }

    public RolloutEngine(Object lock, Clock clock, TrafficControl traffic, Host host, AnalysisSettings analysis, Path file) {
        this.lock = lock;
        this.clock = clock;
        this.traffic = traffic;
        this.host = host;
        this.analysis = analysis;
        this.store = new RolloutStore(file);
        this.current = store.read();
    }

    /** Starts looking every second (idempotent). */
    public void start() {
        synchronized (lock) {
            if (ticker == null && !closed) {
                ticker = Executors.newSingleThreadScheduledExecutor(r -> {
                    Thread t = new Thread(r, "rollout");
                    t.setDaemon(true);
                    return t;
                });
                ticker.scheduleWithFixedDelay(this::tick, 1, 1, TimeUnit.SECONDS);
            }
        }
    }

    /** Stops looking: first thing when the daemon closes, so no step moves traffic or publishes after. Idempotent. */
    public void close() {
        closed = true;
        synchronized (lock) {
            if (ticker != null) {
                ticker.shutdownNow();
            }
        }
    }

    /** The latest rollout, also after it ended; null before the first. */
    public Rollout current() {
        return current;
    }

    /** One look: what the ticker does every second. */
    public void tick() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            try {
                Rollout r = current;
                if (r != null && r.state().live() && strategy != null) {
                    strategy.look(clock.instant());
                } else {
                    sample();
                }
            } catch (RuntimeException e) {
                log.error("The rollout's look failed; it tries again in a second", e);
            }
        }
    }

    /**
     * After a daemon restart, before the router listens: route the recorded canary weight at once, so clients keep the
     * side they had. {@link #resume()} then picks the analysis up again.
     */
    public void routeRecorded() {
        synchronized (lock) {
            try {
                reconcile();
                Rollout r = current;
                if (r != null && r.strategy() == Strategy.ROLLING && r.state().live() && host.activeSlot() != null) {
                    traffic.join(host.activeSlot().other());
                }
                if (r != null && r.strategy() == Strategy.CANARY && r.state().live() && r.weight() > 0) {
                    Integer port = host.runningPort(Slot.parse(r.slot()));
                    if (port != null) {
                        traffic.split(Slot.parse(r.slot()), port, r.weight(), Stickiness.parse(r.sticky()), r.id());
                    }
                }
            } catch (RuntimeException e) {
                // the daemon starts and serves the active slot whatever the rollout's record says; resume() decides on it
                log.error("The recorded rollout's split could not be routed again", e);
            }
        }
    }

    /**
     * A daemon that stopped between a move (state.json) and its record (rollout.json) left a live rollout whose move is
     * done: a canary whose slot is already the active one was promoted; a watch whose previous release is active again
     * was switched back. Ended as such, so nothing routes a split onto the active slot or judges a slot out of traffic.
     */
    private void reconcile() {
        Rollout r = current;
        if (r == null || !r.state().live()) {
            return;
        }
        Slot active = host.activeSlot();
        if (r.strategy() == Strategy.CANARY && Slot.parse(r.slot()) == active) {
            save(r.withWeight(100));
            end(RolloutState.PROMOTED, "found promoted when the daemon restarted (state.json names " + r.slot()
                    + " active): " + r.release() + " serves all traffic, " + r.stableRelease() + " stays warm in " + r.stable());
        } else if (r.strategy() == Strategy.BLUEGREEN && Slot.parse(r.slot()) != active) {
            end(RolloutState.ABORTED, "watch ended when the daemon restarted: " + r.release() + " in " + r.slot()
                    + " is no longer the active slot (" + (active == null ? "none" : active.id()) + " is)");
        }
    }

    /** After a daemon restart and adopt: go on with a live rollout from its recorded step and evidence, or roll it back. */
    public void resume() {
        synchronized (lock) {
            try {
                reconcile();
                resumeLive();
            } catch (RuntimeException e) {
                // a rollout that cannot go on must not keep the daemon from serving: it is ended, the operator decides
                log.error("The recorded rollout could not be resumed", e);
                if (current != null && current.state().live()) {
                    end(RolloutState.ABORTED, "could not be resumed after the daemon restarted (" + e.getMessage()
                            + "); traffic stays where it is");
                }
            }
        }
    }

    private void resumeLive() {
        Rollout r = current;
        if (r == null || !r.state().live()) {
            return;
        }
        strategy = switch (r.strategy()) {
            case CANARY -> new Canary(this);
            case ROLLING -> rolling();
            case BLUEGREEN -> new BlueGreenWatch(this);
        };
        // the warm-up counts from the rollout's start (a rolling update's: from its latest batch), not from the restart
        Instant started = Instant.parse(r.strategy() == Strategy.ROLLING ? r.stepStarted() : r.started());
        warmUntil = started.plus(analysis.warmup());
        judge = r.errorEvidence() == null ? new Judge(analysis, clock, warmUntil)
                : Judge.resuming(analysis, clock, new Judge.Evidence(r.errorEvidence(), r.latencyEvidence()), warmUntil);
        canaryBase = traffic.traffic(Slot.parse(r.slot()));
        stableBase = traffic.traffic(Slot.parse(r.stable()));
        progress = clock.instant();
        log.info("Resuming the {} rollout of {} at step {} ({}%, {})", r.strategy().json(), r.release(), r.step(), r.weight(),
                r.state().json());
        strategy.resumed();
    }

    /**
     * A canary is healthy in {@code slot}: split the first step's weight to it and start judging. Called by the deployer's
     * perform, under the lock.
     */
    public Rollout startCanary(String release, Slot slot, Slot stable, String stableRelease, RolloutSettings settings) {
        Instant now = clock.instant();
        String id = release + "-" + now.getEpochSecond();
        Rollout r = new Rollout(id, Strategy.CANARY, release, slot.id(), stable.id(), stableRelease, RolloutState.RUNNING, -1,
                settings.steps(), 0, settings.sticky().toString(), settings.stepDuration().toMillis(),
                settings.progressDeadline().toMillis(), now.toString(),
                now.toString(), null, null, List.of(), null, null, null);
        current = r;
        warmUntil = now.plus(analysis.warmup());
        strategy = new Canary(this);
        notify(DeployEventType.ROLLOUT_STARTED, "canary of " + release + " in " + slot.id() + " against " + stableRelease
                + " (steps " + settings.steps() + ")");
        ((Canary) strategy).advance(now);
        return current;
    }

    /** What a rolling update moves: the deployer's instances, and {@code deploy.rolling}. */
    public void useInstances(InstanceMoves moves, RollingSettings settings) {
        synchronized (lock) {
            instances = moves;
            rolling = settings;
        }
    }

    private Rolling rolling() {
        if (instances == null) {
            throw new SwitchbackException(ErrorCode.CONFIG, "rolling updates are not supported by this runtime");
        }
        return new Rolling(this, instances, rolling);
    }

    /**
     * A rolling update of {@code release} in place of {@code stableRelease} (active in {@code stable}); its instances are
     * recorded in {@code slot}. Called by the deployer's perform (or rollback), under the lock; the looks do the rest.
     */
    public Rollout startRolling(String release, Slot slot, Slot stable, String stableRelease, RollingSettings settings) {
        synchronized (lock) {
            Rolling strategy = rolling();
            Instant now = clock.instant();
            save(new Rollout(release + "-" + now.getEpochSecond(), Strategy.ROLLING, release, slot.id(), stable.id(), stableRelease,
                    RolloutState.RUNNING, Rolling.WORKERS, List.of(), 0, Stickiness.NONE.toString(), settings.pause().toMillis(),
                    settings.progressDeadline().toMillis(), now.toString(), now.toString(), null, null, List.of(), null, null, null));
            this.rolling = settings;
            this.strategy = new Rolling(this, instances, settings);
            warmUntil = now.plus(analysis.warmup());
            startStep(now);
            traffic.join(slot);
            notify(DeployEventType.ROLLOUT_STARTED, "rolling update of " + release + " in place of " + stableRelease + " ("
                    + instances.replicas() + " instance(s), maxSurge " + settings.maxSurge() + ", maxUnavailable "
                    + settings.maxUnavailable() + ")");
            return current;
        }
    }

    /**
     * Traffic has just switched to {@code slot}: judge it for {@code watch} against what {@code previous} served in the
     * minutes before. Called by the deployer's perform, under the lock.
     */
    public Rollout watch(String release, Slot slot, Slot previous, String previousRelease, Duration watch) {
        Instant now = clock.instant();
        SlotTraffic before = traffic.traffic(previous);
        SlotTraffic since = SlotTraffic.NONE;
        for (Sample s : samples) {
            if (s.slot() == previous && !s.at().isBefore(now.minus(keepSamples))) {
                since = s.traffic();
                break;
            }
        }
        SlotTraffic baseline = since.requests() <= before.requests() ? before.minus(since) : before;
        Rollout r = new Rollout(release + "-" + now.getEpochSecond(), Strategy.BLUEGREEN, release, slot.id(), previous.id(),
                previousRelease, RolloutState.WATCHING, -1, List.of(), 100, Stickiness.NONE.toString(), watch.toMillis(), 0,
                now.toString(), now.toString(), null, "watching " + release + " for " + watch.toSeconds() + "s against "
                + previousRelease + "'s " + baseline.requests() + " requests before the switch", List.of(), null, null, baseline);
        save(r);
        strategy = new BlueGreenWatch(this);
        warmUntil = now.plus(analysis.warmup());
        startStep(now);
        samples.clear();
        notify(DeployEventType.ROLLOUT_STARTED, r.reason());
        return r;
    }

    /** {@code upgrade promote}: past a pause (or a paused deadline) to the next step; {@code full} goes to 100 at once. */
    public Rollout promote(boolean full) {
        synchronized (lock) {
            Rollout r = live("promote");
            if (!(strategy instanceof Canary c)) {
                throw new SwitchbackException(ErrorCode.CONFIG, "The rollout of " + r.release() + " is a " + (r.strategy()
                        == Strategy.ROLLING ? "rolling update" : "blue-green watch") + ": there is nothing to promote (it ends by "
                        + "itself, or `switchback upgrade " + (r.strategy() == Strategy.ROLLING ? "abort" : "rollback") + "`)");
            }
            record(RolloutVerdict.of(clock.instant().toString(), "promote", full ? "promoted_full" : "promoted",
                    "promoted by the operator" + (full ? " to 100%" : ""), r.step(), r.weight()));
            if (full) {
                c.promote("promoted to 100% by the operator");
            } else {
                c.advance(clock.instant());
            }
            return current;
        }
    }

    /** {@code upgrade abort}: every request back to stable at once, the canary stopped. */
    public Rollout abort() {
        synchronized (lock) {
            Rollout r = live("abort");
            if (strategy instanceof Canary c) {
                c.rollBack(RolloutState.ABORTED, "aborted by the operator");
            } else if (strategy instanceof Rolling rolling) {
                if (r.state() != RolloutState.ROLLING_BACK) {
                    rolling.rollBack("aborted by the operator", clock.instant());
                }
            } else {
                switchBack("watch aborted by the operator", RolloutState.ABORTED);
            }
            return current;
        }
    }

    /**
     * Before a perform, switch, rollback or cleanup: a live canary must be promoted or aborted first; a blue-green watch
     * simply ends (the operator takes over).
     */
    public void before(String action) {
        synchronized (lock) {
            refuseDuringCanary(action);
            Rollout r = current;
            if (r != null && r.state().live()) {
                end(RolloutState.ABORTED, "watch ended by " + action);
            }
        }
    }

    /**
     * The check half of {@link #before}: refuses while a canary is live, changes nothing. An action calls it first and
     * {@link #before} only where it moves traffic or stops a release, so a refused or failed one leaves a watch going.
     */
    public void refuseDuringCanary(String action) {
        synchronized (lock) {
            Rollout r = current;
            if (r != null && r.state().live() && r.strategy() == Strategy.CANARY) {
                throw new SwitchbackException(ErrorCode.CONFIG, "A canary rollout of " + r.release() + " is " + r.state().json()
                        + " at " + r.weight() + "%: `switchback upgrade promote` or `switchback upgrade abort` it before " + action);
            }
            if (r != null && r.state().live() && r.strategy() == Strategy.ROLLING) {
                throw new SwitchbackException(ErrorCode.CONFIG, "A rolling update of " + r.release() + " is " + r.state().json()
                        + " (" + r.weight() + "% of the instances replaced): let it end, or `switchback upgrade abort` it, before "
                        + action);
            }
        }
    }

    /**
     * The liveness watch found the active release {@code slot} dead and failed over (or restarts it): a live rollout ends
     * here, aborted with the reason, and traffic stays where the failover put it. Judging on would compare a dead or
     * restarting release, and a switch back would undo the failover. A canary's split is withdrawn and the canary, if it
     * runs, stays warm as standby. Called under the lock.
     */
    public void failedOver(Slot slot, String reason) {
        synchronized (lock) {
            Rollout r = current;
            if (r == null || !r.state().live()) {
                return;
            }
            String why = "failover: " + reason + "; the rollout ended, traffic stays where the failover put it";
            if (r.strategy() == Strategy.CANARY) {
                Slot canary = Slot.parse(r.slot());
                traffic.split(null, null, 0, Stickiness.parse(r.sticky()), r.id());
                save(r.withWeight(0));
                if (host.runningPort(canary) != null && canary != slot) {
                    host.standBy(canary, why);
                    why += " (" + r.release() + " stays warm in " + canary.id() + " as standby)";
                }
            }
            end(RolloutState.ABORTED, why);
        }
    }

    /**
     * A watch ends by sending traffic back to the previous release, if that still runs and answers; otherwise traffic
     * stays on the watched release (moving it would leave every request a 503) and the reason says so.
     */
    void switchBack(String why, RolloutState state) {
        Rollout r = current;
        Slot previous = Slot.parse(r.stable());
        String cannot = cannotGoBack(r);
        if (cannot != null) {
            end(RolloutState.ABORTED, why + "; " + cannot + ": traffic stays on " + r.release() + " (" + r.slot() + ")");
            return;
        }
        host.switchBack(previous, Slot.parse(r.slot()), why);
        end(state, why + "; traffic is back on " + r.stableRelease() + " (" + r.stable() + ")");
    }

    /** Why traffic cannot go back to the rollout's stable release, or null when it can. */
    String cannotGoBack(Rollout r) {
        return host.serves(Slot.parse(r.stable())) ? null : "not rolled back: " + r.stableRelease() + " in " + r.stable()
                + " does not run or does not answer its health check (start it again, then `switchback upgrade rollback`)";
    }

    private Rollout live(String what) {
        Rollout r = current;
        if (r == null || !r.state().live()) {
            throw new SwitchbackException(ErrorCode.CONFIG, "No rollout is running: nothing to " + what
                    + (r == null ? "" : " (the latest, of " + r.release() + ", is " + r.state().json() + ")"));
        }
        return r;
    }

    // ---- shared by the strategies, under the lock ----

    /** A new step: a new judge over counters from now on. */
    void startStep(Instant now) {
        Rollout r = current;
        judge = new Judge(analysis, clock, warmUntil);
        canaryBase = traffic.traffic(Slot.parse(r.slot()));
        stableBase = traffic.traffic(Slot.parse(r.stable()));
        progress = now;
        lastCause = null;
        lastRecorded = null;
        externalAt = null;
        externalValue = OptionalDouble.empty();
    }

    /** New processes of the release have just started to take traffic: their latency is judged after a warm-up. */
    void warming(Instant now) {
        warmUntil = now.plus(analysis.warmup());
        judge.warmUntil(warmUntil);
    }

    /** Asks the external metric once per {@code deploy.analysis.interval}; null when none is configured. */
    OptionalDouble external(Instant now) {
        if (external == null) {
            return null;
        }
        if (externalAt == null || !now.isBefore(externalAt.plus(analysis.interval()))) {
            Rollout r = current;
            externalValue = external.ask(r.release(), r.slot());
            externalAt = now;
        }
        return externalValue;
    }

    ExternalMetric externalMetric() {
        return external;
    }

    /** {@code deploy.analysis.prometheus}, or null. */
    public void useExternal(ExternalMetric metric) {
        synchronized (lock) {
            external = metric;
        }
    }

    /**
     * Records {@code v} when it says something new (another outcome or cause), when it decides, and otherwise once per
     * {@code deploy.analysis.interval}, so the history stays readable however often the judge looks.
     */
    void note(Verdict v, boolean decisive) {
        Rollout r = current;
        String cause = v.verdict().json() + "/" + v.cause().json();
        Instant now = v.at();
        if (decisive || !cause.equals(lastCause) || lastRecorded == null
                || !now.isBefore(lastRecorded.plus(analysis.interval()))) {
            Judge.Evidence e = judge.evidence();
            save(r.recording(RolloutVerdict.of(v, r.step(), r.weight()), e.errors(), e.slow()));
            lastCause = cause;
            lastRecorded = now;
            log.info("Rollout of {} at {}%: {} ({})", r.release(), r.weight(), v.verdict().json(), v.reason());
        }
    }

    void record(RolloutVerdict v) {
        Rollout r = current;
        save(r.recording(v, r.errorEvidence(), r.latencyEvidence()));
    }

    /**
     * The slot whose instances the router pools with the active slot's: the other one while a rolling update is live,
     * otherwise null. One instance dying then is a restart, not a failover: the joined slot's instances serve meanwhile.
     */
    public Slot joined() {
        Rollout r = current;
        Slot active = r != null && r.strategy() == Strategy.ROLLING && r.state().live() ? host.activeSlot() : null;
        return active == null ? null : active.other();
    }

    /** The slot a live rolling update starts instances in (the previous release's when rolling back), otherwise null. */
    public Slot rollingTo() {
        Rollout r = current;
        if (r == null || r.strategy() != Strategy.ROLLING || !r.state().live()) {
            return null;
        }
        return Slot.parse(r.state() == RolloutState.ROLLING_BACK ? r.stable() : r.slot());
    }

    void end(RolloutState state, String reason) {
        if (current.strategy() == Strategy.ROLLING) {
            // however it ended, the active slot serves alone from now on
            traffic.join(null);
        }
        save(current.with(state, reason, clock.instant()));
        strategy = null;
        judge = null;
        log.info("Rollout of {} {}: {}", current.release(), state.json(), reason);
        notify(state == RolloutState.PROMOTED ? DeployEventType.PROMOTED : DeployEventType.ROLLED_BACK,
                (state == RolloutState.ABORTED ? "aborted: " : "") + reason);
    }

    /** A paused rollout, with why. */
    void paused(Rollout r) {
        save(r);
        notify(DeployEventType.PAUSED, r.reason());
    }

    /**
     * Tells the webhooks what the rollout does now, with its state, weight and the last verdict's numbers. Never throws:
     * a notification is not worth a rollout step.
     */
    void notify(DeployEventType type, String message) {
        Rollout r = current;
        try {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("strategy", r.strategy().json());
            details.put("state", r.state().json());
            details.put("weight", r.weight());
            details.put("stable", r.stableRelease());
            RolloutVerdict v = r.lastVerdict();
            if (v != null && v.canary() != null) {
                details.put("verdict", v.verdict());
                details.put("cause", v.cause());
                details.put("canary", Map.of("requests", v.canary().requests(), "errors", v.canary().errors(), "p99Ms", v.canary().p99Ms()));
                details.put("baseline", Map.of("requests", v.stable().requests(), "errors", v.stable().errors(), "p99Ms", v.stable().p99Ms()));
            }
            host.publish(new DeployEvent(type, r.release(), r.slot(), message, details, clock.instant()));
        } catch (RuntimeException e) {
            log.warn("Notification {} of the rollout of {} not sent: {}", type.id(), r.release(), e.getMessage());
        }
    }

    /**
     * The rollout as decided: kept in memory even when rollout.json cannot be written, so a full or read-only disk does
     * not make every look repeat its move and every perform refuse; a restart reconciles the file with state.json.
     */
    void save(Rollout r) {
        current = r;
        try {
            store.write(r);
        } catch (RuntimeException e) {
            log.error("The rollout of {} ({}) could not be recorded in rollout.json; it goes on from memory: {}", r.release(),
                    r.state().json(), e.getMessage());
        }
    }

    Rollout rollout() {
        return current;
    }

    private void sample() {
        Instant now = clock.instant();
        if (!samples.isEmpty() && now.isBefore(samples.getLast().at().plus(SAMPLE_EVERY))) {
            return;
        }
        Slot active = host.activeSlot();
        if (active == null) {
            samples.clear();
            return;
        }
        if (!samples.isEmpty() && !Objects.equals(samples.getLast().slot(), active)) {
            samples.clear();
        }
        samples.addLast(new Sample(now, active, traffic.traffic(active)));
        while (samples.size() > 1 && samples.getFirst().at().isBefore(now.minus(keepSamples))) {
            samples.removeFirst();
        }
    }

    /** How far back the watch's baseline reaches (the watch's own length). */
    public void keepBaseline(Duration d) {
        synchronized (lock) {
            keepSamples = d.isZero() ? Duration.ofMinutes(5) : d;
        }
    }
}

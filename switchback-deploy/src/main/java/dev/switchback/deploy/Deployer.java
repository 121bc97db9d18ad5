package dev.switchback.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchback.backup.Backups;
import dev.switchback.backup.RestoreOptions;
import dev.switchback.deploy.workers.ProcessView;
import dev.switchback.deploy.workers.WorkerProcess;
import dev.switchback.deploy.workers.WorkerSet;
import dev.switchback.deploy.workers.WorkerSettings;
import dev.switchback.deploy.rollout.Rollout;
import dev.switchback.deploy.rollout.RolloutEngine;
import dev.switchback.deploy.rollout.RolloutRequest;
import dev.switchback.deploy.rollout.RolloutSettings;
import dev.switchback.deploy.rollout.RolloutState;
import dev.switchback.deploy.rollout.Strategy;
import dev.switchback.deploy.notify.DeployEvent;
import dev.switchback.deploy.notify.DeployEventType;
import dev.switchback.deploy.notify.Notifier;
import dev.switchback.migration.ErrorCode;
import dev.switchback.migration.Migrator;
import dev.switchback.migration.RollbackRequest;
import dev.switchback.migration.SwitchbackException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Blue-green upgrades on one host: perform, switch, rollback, cleanup. One operation at a time; every
 * step is recorded in state.json (atomically), the history and a snapshot. A failure leaves the traffic
 * where it was.
 */
public final class Deployer {
    private static final Logger log = LoggerFactory.getLogger(Deployer.class);
    private final DeployConfig config;
    private final StateStore store;
    private final Supervisor supervisor;
    private final HealthGate gate;
    private final TrafficControl traffic;
    private final ReleaseMigrations migrations;
    private final DeploymentHistory history;
    private final Snapshots snapshots;
    private final DeployListener listener;
    private final Map<String, Object> maskedConfig;
    private final RolloutEngine rollouts;
    private final Notifier notifier;
    private final LivenessWatch liveness;
    private final WorkerSet workers;
    private final ServingInstances serving;

    public Deployer(DeployConfig config, TrafficControl traffic, ReleaseMigrations migrations, DeployListener listener,
                    Map<String, Object> maskedConfig) {
        this.config = config;
        this.store = new StateStore(config.stateDir().resolve("state.json"));
        this.supervisor = new Supervisor(config);
        this.gate = new HealthGate(config);
        this.traffic = traffic;
        this.migrations = migrations;
        this.history = new DeploymentHistory(config.directory());
        this.snapshots = new Snapshots(config);
        this.listener = listener;
        this.maskedConfig = maskedConfig;
        this.rollouts = new RolloutEngine(this, java.time.Clock.systemUTC(), traffic, new RolloutMoves(),
                config.analysis(), config.stateDir().resolve("rollout.json"));
        rollouts.keepBaseline(config.rollout().watch());
        rollouts.useExternal(config.rollout().external());
        this.notifier = new Notifier(config.webhooks());
        this.workers = new WorkerSet(config, config.stateDir().resolve("workers.json"));
        this.serving = new ServingInstances(store, workers, traffic);
        rollouts.useInstances(new RollingMoves(config, store, supervisor, gate, workers, serving, traffic, history, this::route),
                config.rollout().rolling());
        this.liveness = new LivenessWatch(this, config, store, supervisor, gate, traffic, history, snapshots, listener, this::publish,
                rollouts::failedOver, slot -> serving.othersServing(slot, rollouts.joined()));
    }

    /** The latest rollout (canary or blue-green watch): promote, abort, status. */
    public RolloutEngine rollouts() {
        return rollouts;
    }

    /** Starts watching the active release ({@code deploy.failover}); after {@link #adopt()}. */
    public void watch() {
        serving.start();
        liveness.start();
    }

    /**
     * Tells the {@code deploy.notify} webhooks, in the background: returns at once whatever they do. A failover to the
     * standby also hands the workers over to it, in the background too.
     */
    public void publish(DeployEvent event) {
        workers.followFailover(event);
        notifier.publish(event);
    }

    /** Stops the rollout engine, the watch and the notifications, in that order; the releases keep running. */
    public void close() {
        rollouts.close();
        liveness.close();
        serving.close();
        workers.close();
        notifier.close();
    }

    /** What state.json records now. */
    public DeploymentState state() {
        return store.read();
    }

    public DeployConfig config() {
        return config;
    }

    /**
     * First thing after a daemon (re)start, before the router listens: route to the active slot state.json names when
     * its process is alive, so traffic flows again while {@link #adopt()} health-checks it (and withdraws the route
     * if the check fails).
     */
    public synchronized void routeRecorded() {
        DeploymentState st = store.read();
        Slot active = st.activeSlot();
        traffic.maintenance(st.maintenance(), st.maintenanceMessage());
        if (active != null && st.slot(active).running()) {
            traffic.route(active, st.slot(active).port());
        }
        rollouts.routeRecorded();
    }

    /**
     * After a daemon (re)start: keep the slots whose process is alive and healthy, route to the active one,
     * and never start a second copy of anything.
     */
    public synchronized DeploymentState adopt() {
        DeploymentState st = store.read();
        for (Slot s : Slot.values()) {
            SlotState slot = st.slot(s);
            if (slot.pid() == null) {
                continue;
            }
            if (slot.process().recycled()) {
                log.warn("{} in {}: pid {} now belongs to another program (its start time is not the recorded {}); not adopted, "
                        + "marked stopped", slot.release(), s.id(), slot.pid(), slot.pidStartTime());
                st = st.with(s, slot.stopped(SlotStatus.STOPPED));
            } else if (slot.running() && gate.check(slot.port()).healthy()) {
                log.info("Adopted {} in {} (pid {}, port {})", slot.release(), s.id(), slot.pid(), slot.port());
                if (slot.pidStartTime() == null) {
                    // recorded by a Switchback that kept no start times: from now on the pid is checked against it
                    st = st.with(s, new SlotState(slot.release(), slot.state(), slot.pid(), ReleaseProcess.of(slot.pid()).startTime(),
                            slot.port(), slot.started(), slot.log()));
                }
            } else if (slot.running()) {
                // forgetting its pid would leave it running unseen and let a rollback start a second copy beside it
                log.warn("{} in {} (pid {}) runs but does not answer its health check; kept on record as failed, not routed "
                        + "(rollback or switch check it again, cleanup stops it)", slot.release(), s.id(), slot.pid());
                st = st.with(s, slot.withState(SlotStatus.FAILED));
            } else {
                log.warn("{} in {} (pid {}) is gone; marked stopped", slot.release(), s.id(), slot.pid());
                st = st.with(s, slot.stopped(SlotStatus.STOPPED));
            }
        }
        Slot active = st.activeSlot();
        if (active != null && st.slot(active).pid() != null && st.slot(active).state() != SlotStatus.FAILED) {
            traffic.route(active, st.slot(active).port());
        } else if (active != null) {
            log.warn("The active slot {} has no running, healthy release: the router answers 503 until it answers again (the "
                    + "liveness watch routes it then), a perform, rollback or switch", active.id());
            traffic.route(null, null);
        }
        traffic.maintenance(st.maintenance(), st.maintenanceMessage());
        store.write(st);
        // the route just set dropped the canary split routeRecorded() had routed: routed again on the corrected slots
        rollouts.routeRecorded();
        workers.adopt(rollouts.rollingTo());
        rollouts.resume();
        rollouts.start();
        return st;
    }

    public synchronized PerformResult perform(PerformRequest req) {
        return perform(req, RolloutRequest.CONFIGURED);
    }

    public synchronized PerformResult perform(PerformRequest req, RolloutRequest how) {
        String release = ReleaseNames.check(req.release());
        RolloutSettings rollout = how.applyTo(config.rollout());
        rollouts.refuseDuringCanary("a perform");
        ReleaseEnvironment.refuseMissing(release, migrations.expectedEnvFile(release), config.env(), System.getenv());
        DeploymentState st = store.read();
        Slot active = st.activeSlot();
        Slot target = active == null ? Slot.BLUE : active.other();
        String previous = active == null ? null : st.slot(active).release();
        SlotState stale = st.slot(target);
        if (stale.running() && !req.skipMigrations()) {
            refuseContractWhileWarm(release, target, stale);
        }
        // the warm release this perform displaces: started again in its slot if the perform fails
        SlotState displaced = stale.running() ? stale : null;
        workers.stop(target);
        if (stale.process() != null && stale.process().anyAlive()) {
            // a watch's way back is the release stopped here: the watch ends with it
            rollouts.before("a perform");
            log.info("Stopping {} in {} to make room for {}", stale.release(), target.id(), release);
            supervisor.stop(stale);
            st = st.with(target, SlotState.EMPTY);
            store.write(st);
        }
        Path snapshot = snapshots.create(target, release, maskedConfig);
        PerformRecord meta = PerformRecord.started(release, target, previous);
        ReleaseMigration migrated = ReleaseMigration.SKIPPED;
        if (!req.skipMigrations()) {
            long t0 = System.nanoTime();
            try {
                migrated = ReleaseMigration.run(migrations, req);
                listener.migrated((System.nanoTime() - t0) / 1_000_000, migrated.applied().size());
            } catch (SwitchbackException e) {
                listener.migrationFailed((System.nanoTime() - t0) / 1_000_000);
                String back = restoreDisplaced(target, displaced);
                fail(snapshot, meta, "perform", active, target, release, "migrate failed", e.getMessage());
                throw new SwitchbackException(e.code(), "Upgrade to " + release + " stopped at migrate; traffic stays on "
                        + (previous == null ? "nothing" : previous) + "." + back + "\n" + e.getMessage(), e);
            }
        }
        String schemaBefore = migrated.schemaBefore();
        String schemaAfter = migrated.schemaAfter();
        List<String> applied = migrated.applied();
        String backupId = migrated.backupId();
        meta = meta.migrated(migrated);
        if (rollout.strategy() == Strategy.ROLLING && active != null && store.read().slot(active).running()) {
            // the instances are replaced by the rollout engine's looks, a batch at a time; the perform returns once it began
            rollouts.startRolling(release, target, active, previous, rollout.rolling());
            snapshots.finish(snapshot, meta.succeeded(false, "rolling"));
            history.append("perform", active, target, release, "success", "rolling update started");
            return new PerformResult(release, target.id(), previous, false, migrated.schemaBefore(), migrated.schemaAfter(),
                    migrated.applied(), migrated.backupId(), List.of(), false, false, snapshot.toString(), "switchback upgrade status");
        }
        SlotState started = supervisor.start(target, release);
        store.write(store.read().with(target, started));
        List<String> checks = List.of();
        Duration timeout = req.healthTimeout() != null ? req.healthTimeout() : config.healthTimeout();
        Duration interval = req.healthInterval() != null ? req.healthInterval() : config.healthInterval();
        String stays = "traffic stays on " + (previous == null ? "nothing" : previous + " (" + active.id() + ")") + ".";
        if (!req.skipHealth()) {
            HealthGate.Result h = gate.await(started, timeout, interval);
            checks = h.checks();
            meta = meta.checked(new PerformRecord.Health(h.healthy(), h.checks(), h.elapsedMs(), timeout.toMillis(), interval.toMillis()));
            if (!h.healthy()) {
                listener.healthCheckFailed(release);
                String back = abandon(target, started, displaced);
                fail(snapshot, meta, "perform", active, target, release, "unhealthy", h.reason());
                throw new SwitchbackException(ErrorCode.VERIFICATION, "Upgrade to " + release + " failed its health gate; it was stopped "
                        + "and " + stays + back + "\n" + h.reason());
            }
        }
        // without a health gate nothing vouches for the release: only an explicit --auto-switch moves traffic to it
        boolean autoSwitch = req.skipHealth() ? Boolean.TRUE.equals(req.autoSwitch())
                : req.autoSwitch() != null ? req.autoSwitch() : config.autoSwitch();
        if (autoSwitch && !started.running()) {
            String reason = release + " exited before the switch; last lines of " + started.log() + ":\n" + Supervisor.tail(started.log(), 15);
            String back = abandon(target, started, displaced);
            fail(snapshot, meta, "perform", active, target, release, "exited", reason);
            throw new SwitchbackException(ErrorCode.VERIFICATION, "Upgrade to " + release + " not switched to: its process exited; "
                    + stays + back + "\n" + reason);
        }
        // workers start once the web process is healthy and follow the traffic (a release left standby gets them on its
        // switch); one failing its gate fails the perform as an unhealthy web process does
        String unhealthyWorkers = autoSwitch ? workers.startAndGate(target, release, timeout) : null;
        if (unhealthyWorkers != null) {
            listener.healthCheckFailed(release);
            String back = abandon(target, started, displaced);
            fail(snapshot, meta, "perform", active, target, release, "unhealthy", unhealthyWorkers);
            throw new SwitchbackException(ErrorCode.VERIFICATION, "Upgrade to " + release + " failed its health gate: a worker is not "
                    + "healthy; it was stopped and " + stays + back + "\n" + unhealthyWorkers);
        }
        boolean autoCleanup = req.autoCleanup() != null ? req.autoCleanup() : config.autoCleanup();
        String next = null;
        boolean cleaned = false;
        boolean canary = autoSwitch && rollout.strategy() == Strategy.CANARY && active != null && store.read().slot(active).running();
        if (autoSwitch) {
            rollouts.before("a perform");
        }
        if (canary) {
            store.write(store.read().with(target, started.withState(SlotStatus.CANARY)));
            rollouts.startCanary(release, target, active, previous, rollout);
            next = "switchback upgrade promote";
        } else if (autoSwitch) {
            route(target, started);
            if (autoCleanup && active != null) {
                cleaned = drainAndStop(active);
            }
            if (!cleaned && active != null && !rollout.watch().isZero() && store.read().slot(active).running()) {
                rollouts.watch(release, target, active, previous, rollout.watch());
            }
        } else {
            store.write(store.read().with(target, started.withState(req.skipHealth() ? SlotStatus.STARTING : SlotStatus.STANDBY)));
            next = "switchback upgrade switch " + target.id();
        }
        if (autoSwitch && active != null) {
            workers.stopReplaced(active);
        }
        snapshots.finish(snapshot, meta.succeeded(autoSwitch && !canary, canary ? "canary" : "bluegreen"));
        history.append("perform", active, target, release, "success", canary ? "canary at " + rollouts.current().weight() + "%"
                : autoSwitch ? "switched" : req.skipHealth() ? "started without a health check, not switched" : "healthy, not switched");
        boolean previousWarm = active != null && store.read().slot(active).running();
        return new PerformResult(release, target.id(), previous, previousWarm, schemaBefore, schemaAfter, applied, backupId, checks,
                autoSwitch && !canary, cleaned, snapshot.toString(), next);
    }

    /** A release that failed its perform: stopped, recorded as failed, and the warm release it displaced put back. */
    private String abandon(Slot target, SlotState started, SlotState displaced) {
        workers.stop(target);
        supervisor.stop(started);
        store.write(store.read().with(target, started.stopped(SlotStatus.FAILED)));
        return restoreDisplaced(target, displaced);
    }

    /** A failed perform leaves the deployment as it was: the warm release it stopped to make room runs again in its slot. */
    private String restoreDisplaced(Slot target, SlotState displaced) {
        if (displaced == null) {
            return "";
        }
        SlotState back = supervisor.start(target, displaced.release());
        store.write(store.read().with(target, back));
        HealthGate.Result h = gate.await(back, config.healthTimeout());
        if (!h.healthy()) {
            supervisor.stop(back);
            store.write(store.read().with(target, back.stopped(SlotStatus.FAILED)));
            log.warn("{} did not become healthy again in {}: {}", displaced.release(), target.id(), h.reason());
            return " " + displaced.release() + ", stopped to make room, did not become healthy again in " + target.id() + ": "
                    + h.reason();
        }
        store.write(store.read().with(target, back.withState(SlotStatus.STANDBY)));
        String unhealthyWorkers = workers.startOverlapping(target, displaced.release(), config.healthTimeout());
        if (unhealthyWorkers != null) {
            log.warn("{}'s overlap: true workers did not start again in {}: {}", displaced.release(), target.id(), unhealthyWorkers);
        }
        log.info("{} is back in {} and warm", displaced.release(), target.id());
        return " " + displaced.release() + ", stopped to make room, runs again in " + target.id()
                + " and stays warm for `switchback upgrade rollback`.";
    }

    /** Contract happens after cleanup: a release older than the serving one must not be running when it applies. */
    private void refuseContractWhileWarm(String release, Slot target, SlotState warm) {
        Migrator m = migrations.migrator(release);
        java.util.Set<String> pending = new java.util.HashSet<>();
        m.status().pending().forEach(p -> pending.add(p.version()));
        List<String> contract = m.migrations().stream()
                .filter(x -> pending.contains(x.version().toString()) && x.directives().contract())
                .map(x -> x.version() + " (" + x.script() + ")").toList();
        if (!contract.isEmpty()) {
            history.append("perform", null, target, release, "refused", "contract migration while " + warm.release() + " runs warm");
            throw new SwitchbackException(ErrorCode.UNSAFE, "Upgrade to " + release + " refused: it brings contract migration(s) "
                    + contract + " while " + warm.release() + " still runs warm in " + target.id() + " and may need what they remove. "
                    + "Run `switchback upgrade cleanup " + target.id() + "` first (contract happens after cleanup). Nothing was changed.");
        }
    }

    private void fail(Path snapshot, PerformRecord meta, String action, Slot from, Slot to, String release, String outcome,
                      String detail) {
        snapshots.finish(snapshot, meta.failed(outcome, detail));
        history.append(action, from, to, release, outcome, detail);
        publish(DeployEvent.of(DeployEventType.PERFORM_FAILED, release, to.id(), outcome + ": "
                + (detail == null ? "" : detail.lines().findFirst().orElse(""))));
    }

    /** Moves traffic to {@code target}: the router first, then the record; the old active slot stays warm as standby. */
    private void route(Slot target, SlotState running) {
        traffic.route(target, running.port());
        DeploymentState st = store.read();
        Slot old = st.activeSlot();
        st = st.with(target, running.withState(SlotStatus.ACTIVE)).withActive(target);
        if (old != null && old != target && st.slot(old).release() != null) {
            SlotState o = st.slot(old);
            st = st.with(old, o.running() ? o.withState(SlotStatus.STANDBY) : o.stopped(SlotStatus.STOPPED));
        }
        store.write(st);
        snapshots.markActive(target);
        listener.switched(target);
        log.info("Traffic switched to {} ({})", target.id(), running.release());
    }

    public synchronized SlotState switchTo(Slot target, boolean skipHealth) {
        rollouts.refuseDuringCanary("a switch");
        DeploymentState st = store.read();
        SlotState s = st.slot(target);
        if (!s.running()) {
            throw new SwitchbackException(ErrorCode.CONFIG, "Slot " + target.id() + " has no running release ("
                    + (s.release() == null ? "empty" : s.release() + " is " + s.state()) + "); nothing to switch to");
        }
        // an active slot adopted as failed is not routed: switching to it checks it and routes it again
        if (target == st.activeSlot() && s.state() != SlotStatus.FAILED) {
            return s;
        }
        if (!skipHealth) {
            HealthGate.Result h = gate.await(s, Duration.ofSeconds(Math.max(5, config.healthInterval().toSeconds() * 3)));
            if (!h.healthy()) {
                listener.healthCheckFailed(s.release());
                history.append("switch", st.activeSlot(), target, s.release(), "unhealthy", h.reason());
                throw new SwitchbackException(ErrorCode.VERIFICATION, "Switch to " + target.id() + " refused: " + h.reason());
            }
        }
        String unhealthyWorkers = workers.startAndGate(target, s.release(), config.healthTimeout());
        if (unhealthyWorkers != null) {
            history.append("switch", st.activeSlot(), target, s.release(), "unhealthy", unhealthyWorkers);
            throw new SwitchbackException(ErrorCode.VERIFICATION, "Switch to " + target.id() + " refused: " + unhealthyWorkers);
        }
        Slot from = st.activeSlot();
        rollouts.before("a switch");
        route(target, s);
        if (from != null) {
            workers.stopReplaced(from);
        }
        history.append("switch", from, target, s.release(), "success", null);
        publish(DeployEvent.of(DeployEventType.SWITCHED, s.release(), target.id(), "traffic switched to " + target.id()));
        return store.read().slot(target);
    }

    /** After a completed rolling update there is no warm slot: the previous release comes back instance by instance. */
    private RollbackOutcome rollBackRolling(String mode, Slot active, String previous, String rolledBack) {
        if (!mode.equals("none")) {
            throw new SwitchbackException(ErrorCode.CONFIG, "Rollback --schema " + mode + " refused; nothing was changed: after a "
                    + "rolling update the previous release comes back instance by instance while both serve, so the schema must "
                    + "stay as it is meanwhile. Run `switchback upgrade rollback`, then `switchback rollback` for the schema.");
        }
        rollouts.startRolling(previous, active.other(), active, rolledBack, config.rollout().rolling());
        String how = "no warm slot after a rolling update: " + previous + "'s instances replace " + rolledBack
                + "'s a batch at a time (`switchback upgrade status` follows it)";
        history.append("rollback", active, active.other(), previous, "rolling", how);
        return new RollbackOutcome(active.id(), active.other().id(), previous, rolledBack, true, mode, List.of(), how);
    }

    public synchronized RollbackOutcome rollback(String schemaMode, boolean yes) {
        String mode = schemaMode == null ? "none" : schemaMode;
        if (!List.of("none", "down", "restore").contains(mode)) {
            throw new SwitchbackException(ErrorCode.CONFIG, "--schema must be none, down or restore, was '" + mode + "'");
        }
        if (mode.equals("restore") && !yes) {
            throw new SwitchbackException(ErrorCode.CONFIG, "--schema restore replaces the database with the pre-upgrade backup and "
                    + "loses data written since; pass --yes");
        }
        rollouts.refuseDuringCanary("a rollback");
        DeploymentState st = store.read();
        Slot active = st.activeSlot();
        if (active == null) {
            throw new SwitchbackException(ErrorCode.CONFIG, "Nothing is deployed: there is nothing to roll back");
        }
        Slot standby = active.other();
        SlotState back = st.slot(standby);
        if (back.release() == null) {
            throw new SwitchbackException(ErrorCode.CONFIG, "Slot " + standby.id() + " never ran a release: no previous release to roll back to");
        }
        String rolledBack = st.slot(active).release();
        DeploymentHistory.Entry failover = mode.equals("none") ? null : ActiveByFailover.of(history.read(), active);
        if (failover != null) {
            throw new SwitchbackException(ErrorCode.CONFIG, "Rollback --schema " + mode + " refused; nothing was changed: "
                    + rolledBack + " in " + active.id() + " is active because the liveness watch failed over to it from "
                    + failover.from() + " at " + failover.timestamp() + ", not because an upgrade put it there, so its "
                    + "migrations are not the ones to undo (and " + mode + " would change the schema under the release serving). "
                    + "To undo the upgrade that died: `switchback upgrade switch " + standby.id() + "` once its release is "
                    + "healthy, then `switchback upgrade rollback --schema " + mode + "`; to stay on " + rolledBack
                    + ", `switchback rollback --to <version> --dry-run` shows the down SQL that would undo chosen migrations.");
        }
        Rollout last = rollouts.current();
        if (!back.running() && last != null && last.strategy() == Strategy.ROLLING && last.state() == RolloutState.PROMOTED
                && rolledBack.equals(last.release())) {
            return rollBackRolling(mode, active, back.release(), rolledBack);
        }
        boolean restarted = false;
        if (!back.running()) {
            back = supervisor.start(standby, back.release());
            store.write(store.read().with(standby, back));
            restarted = true;
        }
        HealthGate.Result h = gate.await(back, restarted ? config.healthTimeout() : Duration.ofSeconds(10));
        String unhealthyWorkers = h.healthy() ? workers.startAndGate(standby, back.release(), config.healthTimeout()) : null;
        if (unhealthyWorkers != null) {
            h = new HealthGate.Result(false, h.checks(), unhealthyWorkers, h.elapsedMs());
        }
        if (!h.healthy()) {
            listener.healthCheckFailed(back.release());
            if (restarted) {
                supervisor.stop(back);
                store.write(store.read().with(standby, back.stopped(SlotStatus.FAILED)));
            }
            history.append("rollback", active, standby, back.release(), "unhealthy", h.reason());
            throw new SwitchbackException(ErrorCode.VERIFICATION, "Rollback refused: " + back.release() + " is not healthy; traffic stays on "
                    + rolledBack + ".\n" + h.reason());
        }
        rollouts.before("a rollback");
        route(standby, back);
        workers.stopReplaced(active);
        JsonNode record = snapshots.latestFor(rolledBack);
        List<String> applied = new ArrayList<>();
        if (record != null) {
            record.path("migrationsApplied").forEach(n -> applied.add(n.asText()));
        }
        String schemaMessage = schema(mode, rolledBack, record, applied);
        history.append("rollback", active, standby, back.release(), "success", "schema: " + mode);
        publish(DeployEvent.of(DeployEventType.ROLLED_BACK, back.release(), standby.id(), "rolled back from " + rolledBack
                + " in " + active.id() + " (schema: " + mode + ")"));
        return new RollbackOutcome(active.id(), standby.id(), back.release(), rolledBack, restarted, mode, applied, schemaMessage);
    }

    /** Code first, then the schema: the rolled-back release's migrations are undone or restored only now. */
    private String schema(String mode, String rolledBack, JsonNode record, List<String> applied) {
        if (applied.isEmpty()) {
            return rolledBack + " applied no migrations: the schema needs nothing.";
        }
        String before = record.path("schemaBefore").isNull() ? null : record.path("schemaBefore").asText(null);
        return switch (mode) {
            case "down" -> {
                Migrator m = migrations.migrator(rolledBack);
                // --schema down is the operator's explicit decision to run the down SQL, so nobody is asked; the backup
                // that migrate takes (backup.beforeMigrate) is still taken first, as the way back from what the down drops
                if (migrations.backupBeforeMigrate()) {
                    m = m.withBeforeRollback(migrations.backups(m).beforeRollback());
                }
                var r = m.rollback(before == null ? RollbackRequest.to("0") : RollbackRequest.to(before));
                yield "Undid " + r.undone().size() + " migration(s) of " + rolledBack + " with their down SQL: " + applied
                        + "; schema is back at " + (before == null ? "nothing" : before) + "."
                        + (r.backupId() == null ? "" : " Backup " + r.backupId() + " (pre-rollback-" + (before == null ? "0" : before)
                        + ") was taken first.");
            }
            case "restore" -> {
                String backupId = record.path("backupId").asText(null);
                if (backupId == null || backupId.equals("null")) {
                    yield "No pre-migration backup is recorded for " + rolledBack + " (it ran with --no-backup): nothing was restored. "
                            + "Migrations still applied: " + applied + ".";
                }
                Migrator m = migrations.migrator(rolledBack);
                Backups backups = migrations.backups(m);
                traffic.pause(Duration.ofSeconds(60));
                try {
                    backups.restore(new RestoreOptions(backupId, null, null, null, false, false));
                } finally {
                    traffic.resume();
                }
                yield "Restored backup " + backupId + " taken before " + rolledBack + " migrated: data written since that backup is gone.";
            }
            default -> "The schema still has " + rolledBack + "'s migrations " + applied + ". The release now serving ran against "
                    + "them while " + rolledBack + " was rolled out (expand-only migrations keep it working). To undo them: "
                    + "switchback upgrade rollback --schema down (their down SQL) or --schema restore (the pre-upgrade backup).";
        };
    }

    public synchronized void cleanup(Slot slot) {
        rollouts.refuseDuringCanary("a cleanup");
        DeploymentState st = store.read();
        if (slot == st.activeSlot()) {
            throw new SwitchbackException(ErrorCode.CONFIG, "Refusing to clean up " + slot.id() + ": it is the active slot. "
                    + "Switch or roll back first.");
        }
        rollouts.before("a cleanup");
        SlotState s = st.slot(slot);
        drainAndStop(slot);
        history.append("cleanup", slot, null, s.release(), "success", null);
    }

    /** The slot's workers stopped, its traffic drained, then its web instances stopped; false when instance 0 was not running. */
    private boolean drainAndStop(Slot slot) {
        // the web replicas serve the slot's requests with instance 0: they stop after the drain, the other workers before
        workers.stop(slot, p -> !p.name().equals(WorkerSettings.WEB));
        SlotState s = store.read().slot(slot);
        boolean own = s.process() != null && s.process().anyAlive();
        if ((own || workers.list(slot).stream().anyMatch(WorkerProcess::running))
                && !traffic.awaitDrained(slot, config.drainTimeout())) {
            log.warn("{} still had {} request(s) in flight after {}; stopping it anyway", s.release(), traffic.inFlight(slot),
                    config.drainTimeout());
        }
        workers.stop(slot);
        if (!own) {
            store.write(store.read().with(slot, s.stopped(SlotStatus.STOPPED)));
            return false;
        }
        supervisor.stop(s);
        store.write(store.read().with(slot, s.stopped(SlotStatus.STOPPED)));
        return true;
    }

    /** Stops every release, the active one too (the demo, or taking a service down): traffic gets 503 from now on. */
    public synchronized void stopAll() {
        traffic.route(null, null);
        for (Slot s : Slot.values()) {
            drainAndStop(s);
        }
        store.write(store.read().withActive(null));
        history.append("stop", null, null, null, "success", "all releases stopped");
    }

    public synchronized void maintenance(boolean on, String message) {
        traffic.maintenance(on, message);
        store.write(store.read().withMaintenance(on, message));
        history.append("maintenance", null, null, null, on ? "on" : "off", message);
    }

    public StatusView status() {
        DeploymentState st = store.read();
        Map<String, StatusView.Slot> slots = new LinkedHashMap<>();
        for (Slot s : Slot.values()) {
            SlotState v = st.slot(s);
            boolean running = v.running();
            SlotStatus state = running || v.pid() == null ? v.state() : SlotStatus.EXITED;
            Boolean healthy = running ? gate.check(v.port()).healthy() : null;
            List<ProcessView> processes = new ArrayList<>();
            if (v.pid() != null) {
                processes.add(new ProcessView("web", 0, running ? v.pid() : null, running ? v.port() : null,
                        state.name().toLowerCase(java.util.Locale.ROOT), healthy == null ? "-" : healthy ? "healthy" : "unhealthy", null));
            }
            processes.addAll(workers.view(s));
            slots.put(s.id(), new StatusView.Slot(v.release(), state, running ? v.pid() : null, running ? v.port() : null, healthy,
                    v.started(), processes));
        }
        Slot active = st.activeSlot();
        return new StatusView(st.active(), active == null ? null : active.other().id(), slots, st.maintenance(),
                st.maintenanceMessage(), history.recent(10));
    }

    /** Whether the active slot answers its health check (the daemon's /health/ready). */
    public boolean activeHealthy() {
        DeploymentState st = store.read();
        Slot active = st.activeSlot();
        return active != null && st.slot(active).running() && gate.check(st.slot(active).port()).healthy();
    }

    /** The release serving now, or null. */
    public String activeRelease() {
        DeploymentState st = store.read();
        return st.activeSlot() == null ? null : st.slot(st.activeSlot()).release();
    }

    /** The rollout engine's moves, run under this deployer's lock (the engine holds it while it looks). */
    private final class RolloutMoves implements RolloutEngine.Host {
        @Override
        public Integer runningPort(Slot slot) {
            SlotState s = store.read().slot(slot);
            return s.running() && s.state() != SlotStatus.FAILED ? s.port() : null;
        }

        @Override
        public Slot activeSlot() {
            return store.read().activeSlot();
        }

        @Override
        public void promote(Slot canary, String detail) {
            Slot from = store.read().activeSlot();
            SlotState s = store.read().slot(canary);
            route(canary, s);
            history.append("promote", from, canary, s.release(), "success", detail);
        }

        @Override
        public void stopCanary(Slot canary, String outcome, String detail) {
            SlotState s = store.read().slot(canary);
            Slot stable = store.read().activeSlot();
            if (stable != null && stable != canary) {
                startWorkersAgain(stable, store.read().slot(stable));
            }
            stopFailed(canary, s);
            history.append("canary", store.read().activeSlot(), canary, s.release(), outcome, detail);
        }

        @Override
        public void publish(DeployEvent event) {
            Deployer.this.publish(event);
        }

        @Override
        public boolean serves(Slot slot) {
            SlotState s = store.read().slot(slot);
            return s.running() && s.state() != SlotStatus.FAILED && gate.check(s.port()).healthy();
        }

        @Override
        public void standBy(Slot canary, String detail) {
            SlotState s = store.read().slot(canary);
            if (s.state() == SlotStatus.CANARY) {
                store.write(store.read().with(canary, s.withState(SlotStatus.STANDBY)));
                history.append("canary", store.read().activeSlot(), canary, s.release(), "aborted", detail);
            }
        }

        @Override
        public void switchBack(Slot previous, Slot watched, String detail) {
            SlotState back = store.read().slot(previous);
            SlotState bad = store.read().slot(watched);
            route(previous, back);
            startWorkersAgain(previous, back);
            stopFailed(watched, bad);
            history.append("watch", watched, previous, back.release(), "rolled back", bad.release() + ": " + detail);
        }

        /** The serving release's workers, stopped for a release that failed its rollout (overlap: false), run again. */
        private void startWorkersAgain(Slot slot, SlotState s) {
            String unhealthy = workers.startAndGate(slot, s.release(), config.healthTimeout());
            if (unhealthy != null) {
                log.warn("{}'s workers did not start again in {}: {}", s.release(), slot.id(), unhealthy);
            }
        }

        /** Out of traffic already: in-flight requests get a moment to finish, then the release stops, recorded as failed. */
        private void stopFailed(Slot slot, SlotState s) {
            traffic.awaitDrained(slot, config.drainTimeout().compareTo(Duration.ofSeconds(5)) < 0 ? config.drainTimeout()
                    : Duration.ofSeconds(5));
            workers.stop(slot);
            supervisor.stop(s);
            store.write(store.read().with(slot, s.stopped(SlotStatus.FAILED)));
        }
    }
}

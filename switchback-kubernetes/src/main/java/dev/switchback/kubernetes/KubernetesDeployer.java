package dev.switchback.kubernetes;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchback.deploy.DeployConfig;
import dev.switchback.deploy.DeploymentHistory;
import dev.switchback.deploy.PerformRequest;
import dev.switchback.deploy.PerformResult;
import dev.switchback.deploy.ReleaseMigration;
import dev.switchback.deploy.ReleaseMigrations;
import dev.switchback.deploy.ReleaseNames;
import dev.switchback.deploy.Slot;
import dev.switchback.deploy.notify.DeployEvent;
import dev.switchback.deploy.notify.DeployEventType;
import dev.switchback.deploy.notify.Notifier;
import dev.switchback.deploy.rollout.Rollout;
import dev.switchback.deploy.rollout.RolloutEngine;
import dev.switchback.deploy.rollout.RolloutRequest;
import dev.switchback.deploy.rollout.RolloutSettings;
import dev.switchback.deploy.rollout.Strategy;
import dev.switchback.migration.ErrorCode;
import dev.switchback.migration.SwitchbackException;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * {@code upgrade perform/status/rollback/cleanup/promote/abort} with {@code deploy.runtime: kubernetes}, driven through the
 * API from wherever the command runs: no daemon, nothing installed in the cluster. Slots are Deployments, the health gate
 * is the cluster's readiness, traffic moves by HTTPRoute weights (or a Service's selector), canaries are run by the deploy
 * module's {@link RolloutEngine} with counters from Prometheus, and the state is in the cluster ({@link ClusterState}),
 * every change under the {@link RolloutLease}.
 *
 * <p>The engine keeps its rollout in a file; here that file is a scratch copy of the ConfigMap's {@code rollout}, written
 * back after every change, so a second operator (or the next command) picks the rollout up where it stands.
 */
public final class KubernetesDeployer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(KubernetesDeployer.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** How long {@link #close()} waits for the webhooks: a POST's 5 s timeout, its retry 2 s later, and slack. */
    private static final Duration NOTIFY_GRACE = Duration.ofSeconds(15);
    private final KubernetesConfig config;
    private final DeployConfig deploy;
    private final ReleaseMigrations migrations;
    private final ClusterState state;
    private final ClusterSlots slots;
    private final ReadinessGate gate;
    private final ClusterTraffic traffic;
    private final RolloutLease lease;
    private final MigrationJob job;
    private final Notifier notifier;
    private final RolloutEngine rollouts;
    private final Path scratch;
    private final boolean counted;
    private String savedRollout;
    // the recorded rollout is resumed once, under the lease, by the first command that takes it
    private boolean resumed;

    public KubernetesDeployer(KubernetesClient client, KubernetesConfig config, DeployConfig deploy, ReleaseMigrations migrations,
                              Clock clock, String holder) {
        this.config = config.namespace() == null ? config.inNamespace(client.getNamespace()) : config;
        this.deploy = deploy;
        this.migrations = migrations;
        SlotManifests manifests = new SlotManifests(this.config, client.getKubernetesSerialization());
        this.state = new ClusterState(client, this.config);
        this.slots = new ClusterSlots(client, this.config, manifests);
        this.gate = new ReadinessGate(client, this.config.namespace());
        this.job = new MigrationJob(client, this.config, manifests);
        this.notifier = new Notifier(deploy.webhooks());
        ClusterState.Snapshot s = state.read();
        PrometheusCounters counters = this.config.prometheus() == null ? null : new PrometheusCounters(this.config);
        this.counted = counters != null;
        this.traffic = this.config.httpRoute() != null ? new RouteWeights(client, this.config, counters, s.active())
                : new ServiceSelector(client, this.config, manifests, counters, s.active());
        this.lease = new RolloutLease(client, this.config, holder, clock);
        try {
            this.scratch = Files.createTempDirectory("switchback-k8s").resolve("rollout.json");
            if (s.rollout() != null) {
                Files.writeString(scratch, s.rollout());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.savedRollout = s.rollout();
        this.rollouts = new RolloutEngine(this, clock, traffic, new Moves(), deploy.analysis(), scratch);
        rollouts.keepBaseline(deploy.rollout().watch());
    }

    public KubernetesConfig config() {
        return config;
    }

    public synchronized PerformResult perform(PerformRequest req, RolloutRequest how) {
        String release = ReleaseNames.check(req.release());
        RolloutSettings rollout = how.applyTo(deploy.rollout());
        if (rollout.strategy() == Strategy.CANARY && config.httpRoute() == null) {
            throw new SwitchbackException(ErrorCode.CONFIG, "A canary needs weights: name a Gateway API HTTPRoute in "
                    + "deploy.kubernetes.httpRoute (without one, traffic moves by a Service's selector: blue-green only)");
        }
        if (rollout.strategy() == Strategy.CANARY && !counted) {
            throw new SwitchbackException(ErrorCode.CONFIG, "A canary on Kubernetes is judged on Prometheus' counters (the router is "
                    + "not in the path): set deploy.analysis.prometheus.url");
        }
        String what = "perform " + release;
        acquire(what);
        state.hold();
        try {
            rollouts.before("a perform");
            Slot active = state.read().active();
            Map<Slot, View> now = slots.read();
            Slot target = active == null ? Slot.BLUE : active.other();
            String previous = active == null || now.get(active) == null ? null : now.get(active).release();
            View displaced = now.get(target);
            Duration timeout = req.healthTimeout() != null ? req.healthTimeout() : deploy.healthTimeout();
            Duration interval = req.healthInterval() != null ? req.healthInterval() : deploy.healthInterval();
            Runnable beat = () -> lease.renew(what);
            String untouched = "before " + target.id() + " was touched; traffic stays on " + (previous == null ? "nothing" : previous);
            ReleaseMigration migrated;
            try {
                migrated = migrate(req, interval, beat);
            } catch (SwitchbackException e) {
                if (!lease.held()) {
                    throw leaseLost(release, untouched, e);
                }
                failed(active, target, release, "migrate failed", e.getMessage());
                throw new SwitchbackException(e.code(), "Upgrade to " + release + " stopped at migrate; traffic stays on "
                        + (previous == null ? "nothing" : previous) + ".\n" + e.getMessage(), e);
            }
            keep(what, release, untouched);
            slots.apply(target, release);
            String notSwitched = release + " runs in " + target.id() + ", not switched; traffic stays on "
                    + (previous == null ? "nothing" : previous);
            List<String> checks = List.of();
            if (!req.skipHealth()) {
                ReadinessGate.Result h;
                try {
                    h = gate.await(config.deployment(target), timeout, interval, beat);
                } catch (SwitchbackException e) {
                    throw lease.held() ? e : leaseLost(release, notSwitched, e);
                }
                checks = List.of("ready after " + h.elapsedMs() + " ms (" + h.looks() + " look(s))");
                if (!h.healthy()) {
                    String back = "";
                    if (displaced != null && displaced.release() != null && displaced.replicas() > 0) {
                        // the warm release this perform rolled over goes back into its slot (not waited for)
                        slots.apply(target, displaced.release());
                        slots.state(target, "standby");
                        back = " " + displaced.release() + " is put back in " + target.id() + ".";
                    } else {
                        slots.stop(target, "failed");
                    }
                    failed(active, target, release, "unhealthy", h.reason());
                    throw new SwitchbackException(ErrorCode.VERIFICATION, "Upgrade to " + release + " failed its readiness gate; traffic "
                            + "stays on " + (previous == null ? "nothing" : previous) + "." + back + "\n" + h.reason());
                }
            }
            boolean autoSwitch = req.skipHealth() ? Boolean.TRUE.equals(req.autoSwitch())
                    : req.autoSwitch() != null ? req.autoSwitch() : deploy.autoSwitch();
            boolean autoCleanup = req.autoCleanup() != null ? req.autoCleanup() : deploy.autoCleanup();
            boolean canary = autoSwitch && rollout.strategy() == Strategy.CANARY && active != null
                    && now.get(active) != null && now.get(active).ready();
            String next = null;
            boolean cleaned = false;
            keep(what, release, notSwitched);
            if (canary) {
                slots.state(target, "canary");
                rollouts.startCanary(release, target, active, previous, rollout);
                next = "switchback upgrade promote";
            } else if (autoSwitch) {
                switchTo(target, active);
                notifier.publish(DeployEvent.of(DeployEventType.SWITCHED, release, target.id(), "traffic switched to " + target.id()));
                if (autoCleanup && active != null) {
                    slots.stop(active, "stopped");
                    cleaned = true;
                } else if (active != null && counted && !rollout.watch().isZero()) {
                    rollouts.watch(release, target, active, previous, rollout.watch());
                }
            } else {
                slots.state(target, "standby");
                next = "switchback upgrade switch " + target.id();
            }
            state.append("perform", active, target, release, "success", canary ? "canary at " + rollouts.current().weight() + "%"
                    : autoSwitch ? "switched" : "healthy, not switched");
            saveRollout();
            return new PerformResult(release, target.id(), previous, active != null && !cleaned, migrated.schemaBefore(),
                    migrated.schemaAfter(), migrated.applied(), migrated.backupId(), checks, autoSwitch && !canary, cleaned,
                    "configmap/" + config.stateName(), next);
        } finally {
            state.flush();
            if (!live()) {
                lease.release();
            }
        }
    }

    /**
     * Takes the lease; the first time, a live rollout read from the cluster is resumed under it (resuming may move
     * traffic or stop a canary: never while someone else holds the lease).
     */
    private void acquire(String what) {
        lease.acquire(what);
        if (!resumed) {
            resumed = true;
            if (live()) {
                rollouts.resume();
            }
        }
    }

    /** The lease renewed before the perform's next change to the cluster; if someone else holds it now, nothing more is changed. */
    private void keep(String what, String release, String where) {
        try {
            lease.keep(what);
        } catch (SwitchbackException e) {
            throw leaseLost(release, where, e);
        }
    }

    private static SwitchbackException leaseLost(String release, String where, SwitchbackException e) {
        return new SwitchbackException(e.code(), "Upgrade to " + release + " stopped " + where + ".\n" + e.getMessage(), e);
    }

    private void failed(Slot from, Slot to, String release, String outcome, String detail) {
        state.append("perform", from, to, release, outcome, detail);
        notifier.publish(DeployEvent.of(DeployEventType.PERFORM_FAILED, release, to.id(),
                outcome + (detail == null ? "" : ": " + detail.lines().findFirst().orElse(""))));
    }

    /** Locally (the migrations of the release's locations) or as a Job from its image, as configured. */
    private ReleaseMigration migrate(PerformRequest req, Duration interval, Runnable beat) {
        return config.migrations() == KubernetesConfig.Migrations.LOCAL || req.skipMigrations()
                ? ReleaseMigration.run(migrations, req) : job.run(req, interval, beat);
    }

    /** Back to the warm previous slot at once; the slot left is kept warm as standby. */
    public synchronized String rollback() {
        return move(null, "roll back", false);
    }

    /**
     * {@code upgrade switch}: traffic to {@code slot}, after the cluster's readiness says its Deployment is ready (unless
     * {@code skipHealth}); the slot left stays warm as standby.
     */
    public synchronized String switchTraffic(Slot slot, boolean skipHealth) {
        return move(slot, "switch", skipHealth);
    }

    /** @param to null: the slot that is not active (a rollback) */
    private String move(Slot to, String what, boolean skipHealth) {
        acquire(what);
        state.hold();
        try {
            rollouts.before(to == null ? "a rollback" : "a switch");
            Slot active = state.read().active();
            if (active == null && to == null) {
                throw new SwitchbackException(ErrorCode.CONFIG, "Nothing was deployed yet: nothing to roll back");
            }
            Slot target = to == null ? active.other() : to;
            View v = slots.read().get(target);
            if (target == active) {
                throw new SwitchbackException(ErrorCode.CONFIG, target.id() + " is already active: nothing to switch");
            }
            // --skip-health skips the readiness wait, never onto a slot scaled to 0 (that would be an outage, not a risk)
            if (v == null || v.release() == null || v.replicas() == 0 || !skipHealth && !v.ready()) {
                throw new SwitchbackException(ErrorCode.CONFIG, "No " + (skipHealth ? "" : "ready ") + "release in " + target.id()
                        + " to " + what + " to" + (v == null ? "" : " (" + v.release() + " is " + v.state()
                        + (v.waiting() == null ? "" : ", " + v.waiting()) + ")")
                        + (to == null ? "; perform the previous release instead" : "; perform a release into it first"));
            }
            switchTo(target, active);
            boolean rollback = to == null;
            state.append(rollback ? "rollback" : "switch", active, target, v.release(), "success", "traffic on " + v.release());
            notifier.publish(DeployEvent.of(rollback ? DeployEventType.ROLLED_BACK : DeployEventType.SWITCHED, v.release(), target.id(),
                    rollback ? "rolled back from " + active.id() + " to " + v.release() + " in " + target.id()
                            : "traffic switched to " + target.id()));
            saveRollout();
            return v.release();
        } finally {
            state.flush();
            lease.release();
        }
    }

    /** Scales the idle slot to 0 (Deployment and Service kept): no instant rollback to it after this. */
    public synchronized String cleanup() {
        return cleanup(null);
    }

    /** @param slot the slot the operator named (refused when it is the active one); null: the idle one */
    public synchronized String cleanup(Slot slot) {
        acquire("clean up");
        state.hold();
        try {
            rollouts.before("a cleanup");
            Slot active = state.read().active();
            if (active == null) {
                throw new SwitchbackException(ErrorCode.CONFIG, "Nothing was deployed yet: nothing to clean up");
            }
            if (slot == active) {
                throw new SwitchbackException(ErrorCode.CONFIG, "Slot " + slot.id() + " is active: cleanup stops only the idle slot");
            }
            View v = slots.read().get(active.other());
            if (v == null || v.replicas() == 0) {
                return null;
            }
            slots.stop(active.other(), "stopped");
            state.append("cleanup", active.other(), null, v.release(), "success", "scaled to 0");
            saveRollout();
            return v.release();
        } finally {
            state.flush();
            lease.release();
        }
    }

    public synchronized Rollout promote(boolean full) {
        return underLease("promote", () -> rollouts.promote(full));
    }

    public synchronized Rollout abort() {
        return underLease("abort", rollouts::abort);
    }

    /** One look of the rollout engine (a CLI following a canary calls it every second); the lease is renewed as it goes. */
    public synchronized Rollout tick() {
        if (!live()) {
            return rollouts.current();
        }
        return underLease("follow the rollout", () -> {
            rollouts.tick();
            return rollouts.current();
        });
    }

    private Rollout underLease(String what, java.util.function.Supplier<Rollout> op) {
        acquire(what);
        state.hold();
        try {
            return op.get();
        } finally {
            saveRollout();
            state.flush();
            if (!live()) {
                lease.release();
            }
        }
    }

    /** Whether a rollout is under way (the lease stays with its driver meanwhile). */
    public boolean live() {
        Rollout r = rollouts.current();
        return r != null && r.state().live();
    }

    public Rollout rollout() {
        return rollouts.current();
    }

    /** What {@code upgrade status} shows, read from the cluster alone. */
    public Status status() {
        ClusterState.Snapshot s = state.read();
        List<DeploymentHistory.Entry> h = s.history();
        Rollout r = null;
        if (s.rollout() != null) {
            try {
                r = JSON.readValue(s.rollout(), Rollout.class);
            } catch (IOException e) {
                throw new SwitchbackException(ErrorCode.FAILED, "The rollout in ConfigMap " + config.stateName() + " is unreadable", e);
            }
        }
        return new Status(s.active() == null ? null : s.active().id(), slots.read(), r, h.subList(Math.max(0, h.size() - 10), h.size()));
    }

    /** One slot as its Deployment says: the release, the state annotation, replicas, and whether its rollout is done. */
    public record View(String release, String state, int replicas, boolean ready, String waiting) {
    }

    /** {@code upgrade status} on Kubernetes. */
    public record Status(String active, Map<Slot, View> slots, Rollout rollout, List<DeploymentHistory.Entry> history) {
    }

    private void switchTo(Slot target, Slot old) {
        traffic.route(target, config.servicePort());
        slots.state(target, "active");
        if (old != null && old != target) {
            slots.state(old, "standby");
        }
        state.active(target);
        log.info("Traffic switched to {}", target.id());
    }

    private void saveRollout() {
        try {
            String now = Files.exists(scratch) ? Files.readString(scratch) : null;
            if (now != null && !now.equals(savedRollout)) {
                state.rollout(now);
                savedRollout = now;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The rollout as this deployer last wrote it to the ConfigMap (or read it there). */
    synchronized String savedRollout() {
        return savedRollout;
    }

    /** Gives the lease up between two looks, so an operator's command can come in ({@link ClusterDriver}). */
    synchronized void letGo() {
        lease.release();
    }

    @Override
    public synchronized void close() {
        saveRollout();
        lease.release();
        try {
            Files.deleteIfExists(scratch);
            Files.deleteIfExists(scratch.getParent());
        } catch (IOException e) {
            log.debug("Scratch copy {} left: {}", scratch, e.getMessage());
        }
        // a CLI exits after this: the webhooks get a bounded while to be told (each POST has its own timeout and retries)
        long until = System.nanoTime() + NOTIFY_GRACE.toNanos();
        while (notifier.pending() > 0 && System.nanoTime() < until) {
            ReadinessGate.sleep(Duration.ofMillis(20));
        }
        if (notifier.pending() > 0) {
            log.warn("{} notification(s) not delivered within {} s: given up", notifier.pending(), NOTIFY_GRACE.toSeconds());
        }
        notifier.close();
    }

    /** The engine's moves, in the cluster. */
    private final class Moves implements RolloutEngine.Host {
        @Override
        public Integer runningPort(Slot slot) {
            View v = slots.read().get(slot);
            return v != null && v.ready() && !v.state().equals("failed") ? config.servicePort() : null;
        }

        @Override
        public Slot activeSlot() {
            return state.read().active();
        }

        @Override
        public void promote(Slot canary, String detail) {
            Slot from = state.read().active();
            switchTo(canary, from);
            state.append("promote", from, canary, slots.read().get(canary).release(), "success", detail);
        }

        @Override
        public void stopCanary(Slot canary, String outcome, String detail) {
            String release = slots.read().get(canary).release();
            slots.stop(canary, "failed");
            state.append("canary", state.read().active(), canary, release, outcome, detail);
        }

        @Override
        public boolean serves(Slot slot) {
            // the cluster's readiness stands for the health check: a ready Deployment's pods pass their readiness probes
            return runningPort(slot) != null;
        }

        @Override
        public void publish(DeployEvent event) {
            notifier.publish(event);
        }

        @Override
        public void standBy(Slot canary, String detail) {
            String release = slots.read().get(canary).release();
            slots.state(canary, "standby");
            state.append("canary", state.read().active(), canary, release, "standby", detail);
        }

        @Override
        public void switchBack(Slot previous, Slot watched, String detail) {
            String back = slots.read().get(previous).release();
            String bad = slots.read().get(watched).release();
            switchTo(previous, watched);
            slots.stop(watched, "failed");
            state.append("watch", watched, previous, back, "rolled back", bad + ": " + detail);
        }
    }
}

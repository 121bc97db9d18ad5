package dev.switchback.cli;

import dev.switchback.deploy.PerformRequest;
import dev.switchback.deploy.PerformResult;
import dev.switchback.deploy.Slot;
import dev.switchback.deploy.rollout.Rollout;
import dev.switchback.deploy.rollout.RolloutRequest;
import dev.switchback.deploy.rollout.Strategy;
import dev.switchback.kubernetes.ApiCallMeter;
import dev.switchback.kubernetes.KubernetesConfig;
import dev.switchback.kubernetes.KubernetesDeployer;
import dev.switchback.migration.ErrorCode;
import dev.switchback.migration.Settings;
import dev.switchback.migration.SwitchbackException;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code upgrade ...} with {@code deploy.runtime: kubernetes}: the CLI drives the cluster through its API, no daemon. The
 * only class of the CLI that touches the Kubernetes client, so no other command loads it.
 */
final class KubernetesUpgrade {
    private static final Logger log = LoggerFactory.getLogger(KubernetesUpgrade.class);

    private KubernetesUpgrade() {
    }

    /** The kubeconfig as kubectl finds it ($KUBECONFIG, ~/.kube/config), or the pod's service account in the cluster. */
    static KubernetesClient client(ApiCallMeter meter) {
        return meter.on(new KubernetesClientBuilder()).build();
    }

    static KubernetesDeployer deployer(SwitchbackCommand root, KubernetesClient client) {
        KubernetesConfig k = KubernetesConfig.from(root.kubernetesSettings(), root.baseDir());
        return new KubernetesDeployer(client, k, root.deployConfig(), new CliReleaseMigrations(root), Clock.systemUTC(), holder());
    }

    private static String holder() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            host = "unknown";
        }
        return System.getProperty("user.name") + "@" + host + "/" + ProcessHandle.current().pid();
    }

    static int perform(UpgradeCommand.Perform p) {
        try {
            return doPerform(p);
        } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
            throw unreachable(e);
        }
    }

    static int call(UpgradeCommand.Call c) {
        try {
            return doCall(c);
        } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
            throw unreachable(e);
        }
    }

    /** The API's own words, and where the client looked for the cluster. */
    static SwitchbackException unreachable(io.fabric8.kubernetes.client.KubernetesClientException e) {
        return new SwitchbackException(ErrorCode.FAILED, "The Kubernetes API refused or did not answer (the kubeconfig is found as "
                + "kubectl finds it: $KUBECONFIG, ~/.kube/config, or the pod's service account): " + e.getMessage(), e);
    }

    private static int doPerform(UpgradeCommand.Perform p) {
        SwitchbackCommand root = p.parent.root;
        Output out = root.output();
        ApiCallMeter meter = new ApiCallMeter();
        long t0 = System.nanoTime();
        try (KubernetesClient client = client(meter); KubernetesDeployer d = deployer(root, client)) {
            PerformRequest req = new PerformRequest(p.release, p.autoSwitch, p.autoCleanup,
                    p.timeout == null ? null : Duration.ofSeconds(p.timeout), null, p.skipHealth, p.skipMigrations, p.noBackup, p.allowUnsafe);
            RolloutRequest how = new RolloutRequest(p.strategy == null ? null : Strategy.parse(p.strategy),
                    p.stepDuration == null ? null : Settings.duration("--step-duration", p.stepDuration));
            PerformResult r = d.perform(req, how);
            log.info("perform: {} API calls, {} ms", meter.calls(), (System.nanoTime() - t0) / 1_000_000);
            if (!out.json()) {
                out.line("Release %s is running in %s (Deployment %s).", r.release(), r.slot(), d.config().deployment(Slot.parse(r.slot())));
                if (r.switched()) {
                    out.line("Traffic switched to %s%s.", r.slot(), r.previousRelease() == null ? "" : "; " + r.previousRelease() + " stays warm for `switchback upgrade rollback`");
                }
            }
            Rollout rollout = d.rollout();
            boolean canary = d.live() && rollout.strategy() == Strategy.CANARY;
            if (d.live() && (canary ? !p.detach : p.await)) {
                rollout = follow(d, out);
            }
            if (out.json()) {
                Map<String, Object> json = new LinkedHashMap<>();
                json.put("perform", r);
                json.put("rollout", rollout);
                out.json(json);
            } else if (d.live()) {
                out.line("%s at %d%%: `switchback serve` in the cluster moves it on if it runs there (k8s render --serve); "
                        + "otherwise it waits for the next `switchback upgrade status`, `promote` or `abort`.", rollout.release(), rollout.weight());
            }
            return 0;
        }
    }

    /** Looks every second until the rollout ends; the lease stays with this CLI meanwhile. */
    private static Rollout follow(KubernetesDeployer d, Output out) {
        String seen = "";
        while (d.live()) {
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            Rollout r = d.tick();
            String now = r.state().json() + " " + r.weight();
            if (!now.equals(seen) && !out.json()) {
                out.line("%s: %s at %d%%%s", r.release(), r.state().json(), r.weight(), r.reason() == null ? "" : " (" + r.reason() + ")");
            }
            seen = now;
        }
        return d.rollout();
    }

    private static int doCall(UpgradeCommand.Call c) {
        SwitchbackCommand root = c.parent.root;
        Output out = root.output();
        ApiCallMeter meter = new ApiCallMeter();
        try (KubernetesClient client = client(meter); KubernetesDeployer d = deployer(root, client)) {
            Object result;
            if (c instanceof UpgradeCommand.Status) {
                KubernetesDeployer.Status s = d.status();
                result = s;
                if (!out.json()) {
                    out.line("Active: %s", s.active() == null ? "none" : s.active());
                    s.slots().forEach((slot, v) -> out.line("  %-5s %s (%s, %d replica(s)%s)", slot.id(), v.release(), v.state(),
                            v.replicas(), v.ready() ? ", ready" : v.waiting() == null ? "" : ", " + v.waiting()));
                    if (s.rollout() != null) {
                        out.line("Rollout: %s of %s %s at %d%%%s", s.rollout().strategy().json(), s.rollout().release(),
                                s.rollout().state().json(), s.rollout().weight(), s.rollout().reason() == null ? "" : " (" + s.rollout().reason() + ")");
                    }
                    s.history().forEach(h -> out.line("  %s %s %s -> %s %s: %s", h.timestamp(), h.action(), h.from(), h.to(), h.release(), h.outcome()));
                }
            } else if (c instanceof UpgradeCommand.Rollback rb) {
                if (!rb.schema.equals("none")) {
                    throw new SwitchbackException(ErrorCode.CONFIG, "On Kubernetes, rollback switches traffic only; --schema " + rb.schema
                            + " is not supported there yet (run `switchback rollback` for the schema)");
                }
                String release = d.rollback();
                result = Map.of("release", release);
                if (!out.json()) {
                    out.line("Traffic is back on %s.", release);
                }
            } else if (c instanceof UpgradeCommand.Switch sw) {
                String release = d.switchTraffic(Slot.parse(sw.slot), sw.skipHealth);
                result = Map.of("slot", sw.slot, "release", release);
                if (!out.json()) {
                    out.line("Traffic switched to %s (%s).", sw.slot, release);
                }
            } else if (c instanceof UpgradeCommand.Cleanup cl) {
                String release = d.cleanup(Slot.parse(cl.slot));
                result = Map.of("stopped", release == null ? "" : release);
                if (!out.json()) {
                    out.line(release == null ? "Nothing to clean up." : "Slot " + cl.slot + " (" + release + ") scaled to 0.");
                }
            } else if (c instanceof RolloutCommands.Promote pr) {
                result = d.promote(pr.full);
                printRollout(out, d.rollout());
            } else if (c instanceof RolloutCommands.Abort) {
                result = d.abort();
                printRollout(out, d.rollout());
            } else if (c instanceof UpgradeCommand.Maintenance) {
                throw new SwitchbackException(ErrorCode.CONFIG, "upgrade maintenance answers 503 from Switchback's router, which is not in "
                        + "the path with deploy.runtime: kubernetes. Route to a maintenance page with your Gateway instead (an HTTPRoute "
                        + "rule or filter of your own: Switchback only ever changes the weights of its rule), or scale the app down");
            } else {
                throw new SwitchbackException(ErrorCode.CONFIG, "upgrade pause/resume hold requests in Switchback's router, which is not "
                        + "in the path with deploy.runtime: kubernetes: nothing can hold them there. For a short database operation, "
                        + "run it with `switchback migrate` (it takes the database lock) while the app keeps serving");
            }
            if (out.json()) {
                out.json(result);
            }
            log.debug("{} API calls", meter.calls());
            return 0;
        }
    }

    private static void printRollout(Output out, Rollout r) {
        if (!out.json()) {
            out.line("%s: %s at %d%%%s", r.release(), r.state().json(), r.weight(), r.reason() == null ? "" : " (" + r.reason() + ")");
        }
    }
}

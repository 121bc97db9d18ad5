package dev.switchback.kubernetes;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchback.deploy.rollout.Rollout;
import dev.switchback.migration.ErrorCode;
import dev.switchback.migration.SwitchbackException;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.function.Supplier;

/**
 * {@code switchback serve} with {@code deploy.runtime: kubernetes} (in the cluster, as a Deployment of its own): drives
 * the rollouts that a CLI started and left ({@code --detach}), unattended. Each {@link #pass()} reads the ConfigMap; a
 * live rollout there gets one look of the rollout engine under the Lease, and the Lease is let go after it, so an
 * operator's {@code promote}, {@code abort} or {@code perform} comes in between two passes. A CLI that follows its own
 * canary holds the Lease throughout: the pass stands aside, and a deployer resumes a rollout only once it holds the Lease. When the rollout in the ConfigMap is not the one this driver
 * last wrote (someone promoted or aborted meanwhile), the deployer is built again from the cluster.
 */
public final class ClusterDriver implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ClusterDriver.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private final ClusterState state;
    private final Supplier<KubernetesDeployer> deployers;
    // the deployer of the rollout being driven: its engine keeps the step's judge and baselines between passes
    private KubernetesDeployer driving;

    /** @param deployers a deployer reading the cluster as it is now (the serve process's client, clock and holder name) */
    public ClusterDriver(KubernetesClient client, KubernetesConfig config, Supplier<KubernetesDeployer> deployers) {
        this.state = new ClusterState(client, config.namespace() == null ? config.inNamespace(client.getNamespace()) : config);
        this.deployers = deployers;
    }

    /** One look; the rollout it moved, or null when none is live or someone else drives it now. */
    public synchronized Rollout pass() {
        String recorded = state.read().rollout();
        if (!live(recorded)) {
            stop();
            return null;
        }
        if (driving == null || !recorded.equals(driving.savedRollout())) {
            stop();
            driving = deployers.get();
        }
        try {
            return driving.tick();
        } catch (SwitchbackException e) {
            if (e.code() != ErrorCode.LOCK_TIMEOUT) {
                throw e;
            }
            // the deployer is kept (it resumed nothing without the lease); should the holder move the rollout on, the
            // next pass sees another rollout in the ConfigMap and builds a new one
            log.debug("Standing aside: {}", e.getMessage());
            return null;
        } finally {
            if (driving != null) {
                driving.letGo();
            }
        }
    }

    private static boolean live(String rollout) {
        if (rollout == null) {
            return false;
        }
        try {
            return JSON.readValue(rollout, Rollout.class).state().live();
        } catch (IOException e) {
            throw new SwitchbackException(ErrorCode.FAILED, "The rollout in the ConfigMap is unreadable: " + e.getMessage(), e);
        }
    }

    private void stop() {
        if (driving != null) {
            driving.close();
            driving = null;
        }
    }

    @Override
    public synchronized void close() {
        stop();
    }
}

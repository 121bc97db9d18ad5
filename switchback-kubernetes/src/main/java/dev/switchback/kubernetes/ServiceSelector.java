package dev.switchback.kubernetes;

import dev.switchback.deploy.Slot;
import dev.switchback.migration.ErrorCode;
import dev.switchback.migration.SwitchbackException;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * Without a Gateway: the Service {@code <name>} selects the active slot's pods, and a switch changes its selector (one
 * API call; kube-proxy moves new connections within a moment, open ones stay where they are). No weights, so no canary.
 */
final class ServiceSelector extends ClusterTraffic {
    private final KubernetesClient client;
    private final KubernetesConfig config;
    private final SlotManifests manifests;

    ServiceSelector(KubernetesClient client, KubernetesConfig config, SlotManifests manifests, PrometheusCounters counters, Slot routed) {
        super(counters, routed);
        this.client = client;
        this.config = config;
        this.manifests = manifests;
    }

    @Override
    void weights(Slot slot, int weight) {
        if (weight != 100) {
            throw new SwitchbackException(ErrorCode.CONFIG, "A canary needs weights, and without deploy.kubernetes.httpRoute traffic "
                    + "moves by a Service's selector: all or nothing. Set deploy.strategy: bluegreen or name an HTTPRoute");
        }
        Service s = manifests.activeService(slot);
        ClusterSlots.apply(client, client.services().inNamespace(config.namespace()).resource(s));
    }
}

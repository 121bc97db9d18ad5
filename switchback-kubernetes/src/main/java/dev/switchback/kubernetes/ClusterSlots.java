package dev.switchback.kubernetes;

import dev.switchback.deploy.Slot;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;

import java.util.EnumMap;
import java.util.Map;

import dev.switchback.kubernetes.KubernetesDeployer.View;

/** The two slots' Deployments and Services: applied from the template, annotated with their state, scaled down. */
final class ClusterSlots {
    private final KubernetesClient client;
    private final KubernetesConfig config;
    private final SlotManifests manifests;

    ClusterSlots(KubernetesClient client, KubernetesConfig config, SlotManifests manifests) {
        this.client = client;
        this.config = config;
        this.manifests = manifests;
    }

    /** What runs where, in one list call. */
    Map<Slot, View> read() {
        Map<Slot, View> out = new EnumMap<>(Slot.class);
        for (Deployment d : client.apps().deployments().inNamespace(config.namespace()).withLabel("app", config.name()).list().getItems()) {
            String slot = d.getMetadata().getLabels().get(SlotManifests.SLOT);
            if (slot == null || !d.getMetadata().getName().equals(config.name() + "-" + slot)) {
                continue;
            }
            Map<String, String> a = d.getMetadata().getAnnotations() == null ? Map.of() : d.getMetadata().getAnnotations();
            int replicas = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
            String waiting = ReadinessGate.done(d);
            out.put(Slot.parse(slot), new View(a.get(SlotManifests.RELEASE), a.getOrDefault(SlotManifests.STATE, "unknown"), replicas,
                    replicas > 0 && waiting == null, waiting));
        }
        return out;
    }

    /** The release's Deployment and the slot's Service, created or replaced; the state annotation says {@code starting}. */
    void apply(Slot slot, String release) {
        Deployment d = manifests.deployment(slot, release);
        d.getMetadata().getAnnotations().put(SlotManifests.STATE, "starting");
        apply(client, client.apps().deployments().inNamespace(config.namespace()).resource(d));
        apply(client, client.services().inNamespace(config.namespace()).resource(manifests.service(slot)));
    }

    /**
     * Server-side apply: one call that creates or updates. An API server that does not speak apply patches (fabric8's
     * mock answers 404 for a new object and 415 for an existing one) gets a create or a replace instead.
     */
    static <T> void apply(KubernetesClient client, io.fabric8.kubernetes.client.dsl.Resource<T> r) {
        try {
            r.serverSideApply();
        } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
            if (e.getCode() == 404) {
                r.create();
            } else if (e.getCode() == 415) {
                r.update();
            } else {
                throw e;
            }
        }
    }

    void state(Slot slot, String state) {
        patch(slot, "{\"metadata\":{\"annotations\":{\"" + SlotManifests.STATE + "\":\"" + state + "\"}}}");
    }

    /** Scaled to 0, the Deployment and Service kept (a route may still name the Service, at weight 0). */
    void stop(Slot slot, String state) {
        patch(slot, "{\"metadata\":{\"annotations\":{\"" + SlotManifests.STATE + "\":\"" + state + "\"}},\"spec\":{\"replicas\":0}}");
    }

    private void patch(Slot slot, String json) {
        client.apps().deployments().inNamespace(config.namespace()).withName(config.deployment(slot))
                .patch(PatchContext.of(PatchType.JSON_MERGE), json);
    }
}

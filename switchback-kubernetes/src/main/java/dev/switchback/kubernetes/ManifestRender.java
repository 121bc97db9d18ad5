package dev.switchback.kubernetes;

import dev.switchback.deploy.Slot;
import dev.switchback.migration.ErrorCode;
import dev.switchback.migration.SwitchbackException;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPBackendRef;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code switchback k8s render}: the manifests a perform of a release would apply (the migration Job with
 * {@code migrations: job}, the slot's Deployment and Service, and the traffic object with the step's weights), as multi-document YAML for review or GitOps. With a cluster, the slot
 * is the idle one and the HTTPRoute is the live one with only the rule's weights changed; offline, the slot is blue (a
 * first deploy) and the route a fresh one.
 */
public final class ManifestRender {
    private ManifestRender() {
    }

    /** @param client null renders offline */
    public static List<HasMetadata> manifests(KubernetesConfig config, String release, int weight, KubernetesClient client) {
        if (weight < 0 || weight > 100) {
            throw new SwitchbackException(ErrorCode.CONFIG, "--weight must be 0-100, was " + weight);
        }
        KubernetesConfig k = client != null && config.namespace() == null ? config.inNamespace(client.getNamespace()) : config;
        KubernetesSerialization serialization = client != null ? client.getKubernetesSerialization() : new KubernetesSerialization();
        SlotManifests m = new SlotManifests(k, serialization);
        Slot active = client == null ? null : new ClusterState(client, k).read().active();
        Slot target = active == null ? Slot.BLUE : active.other();
        String checked = dev.switchback.deploy.ReleaseNames.check(release);
        List<HasMetadata> out = new ArrayList<>();
        if (k.migrations() == KubernetesConfig.Migrations.JOB) {
            // what runs first: the release's migrations
            out.add(m.migrationJob(checked, List.of()));
        }
        out.add(m.deployment(target, checked));
        out.add(m.service(target));
        if (k.httpRoute() == null) {
            if (weight == 100) {
                out.add(m.activeService(target));
            } else if (weight != 0) {
                throw new SwitchbackException(ErrorCode.CONFIG, "Without deploy.kubernetes.httpRoute traffic moves by a Service's selector: "
                        + "--weight can only be 0 or 100");
            }
            return out;
        }
        HTTPRoute live = client == null ? null : client.resources(HTTPRoute.class).inNamespace(k.namespace()).withName(k.httpRoute()).get();
        if (live == null) {
            out.add(target == Slot.BLUE ? m.route(weight, 100 - weight) : m.route(100 - weight, weight));
            return out;
        }
        live.getMetadata().setManagedFields(null);
        for (HTTPBackendRef r : live.getSpec().getRules().get(k.httpRouteRule()).getBackendRefs()) {
            if (k.deployment(target).equals(r.getName())) {
                r.setWeight(weight);
            } else if (k.deployment(target.other()).equals(r.getName())) {
                r.setWeight(100 - weight);
            }
        }
        out.add(live);
        return out;
    }

    public static String yaml(List<HasMetadata> manifests) {
        KubernetesSerialization s = new KubernetesSerialization();
        StringBuilder out = new StringBuilder();
        for (HasMetadata h : manifests) {
            String doc = s.asYaml(h);
            out.append(doc.startsWith("---") ? doc : "---\n" + doc);
            if (!doc.endsWith("\n")) {
                out.append('\n');
            }
        }
        return out.toString();
    }
}

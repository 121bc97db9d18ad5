package dev.switchback.cli;

import dev.switchback.kubernetes.ApiCallMeter;
import dev.switchback.kubernetes.KubernetesConfig;
import dev.switchback.kubernetes.ManifestRender;
import dev.switchback.kubernetes.ServeManifests;
import dev.switchback.migration.ErrorCode;
import dev.switchback.migration.SwitchbackException;
import io.fabric8.kubernetes.client.KubernetesClient;

/** {@code k8s render}'s use of the Kubernetes client, in a class of its own so the command's model loads none of it. */
final class KubernetesRender {
    private KubernetesRender() {
    }

    /** Offline: serve's manifests name the namespace themselves (the RoleBinding's subject needs it). */
    static String serve(SwitchbackCommand root, String image) {
        KubernetesConfig k = KubernetesConfig.from(root.kubernetesSettings(), root.baseDir());
        if (k.namespace() == null) {
            throw new SwitchbackException(ErrorCode.CONFIG, "k8s render --serve needs deploy.kubernetes.namespace (the Role and its "
                    + "binding are for that namespace)");
        }
        return ManifestRender.yaml(ServeManifests.manifests(k, image)).strip();
    }

    static String render(SwitchbackCommand root, String release, int weight, boolean offline) {
        KubernetesConfig k = KubernetesConfig.from(root.kubernetesSettings(), root.baseDir());
        if (offline) {
            return ManifestRender.yaml(ManifestRender.manifests(k, release, weight, null)).strip();
        }
        try (KubernetesClient client = KubernetesUpgrade.client(new ApiCallMeter())) {
            return ManifestRender.yaml(ManifestRender.manifests(k, release, weight, client)).strip();
        } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
            throw KubernetesUpgrade.unreachable(e);
        }
    }
}

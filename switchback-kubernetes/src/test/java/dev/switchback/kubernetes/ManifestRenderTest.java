package dev.switchback.kubernetes;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPBackendRef;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code k8s render --offline}: what it prints parses back into the same fabric8 model objects, kind by kind. */
class ManifestRenderTest {
    @TempDir
    Path dir;

    private KubernetesConfig config(boolean route) throws Exception {
        Files.writeString(dir.resolve("d.yaml"), """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: x}
                spec:
                  replicas: 3
                  selector: {matchLabels: {app: x}}
                  template:
                    metadata: {labels: {app: x}}
                    spec: {containers: [{name: app, image: "ghcr.io/acme/shop:${RELEASE}"}]}
                """);
        Map<KubernetesSetting, String> k = new EnumMap<>(KubernetesSetting.class);
        k.put(KubernetesSetting.NAME, "shop");
        k.put(KubernetesSetting.NAMESPACE, "prod");
        k.put(KubernetesSetting.DEPLOYMENT, "d.yaml");
        if (route) {
            k.put(KubernetesSetting.HTTP_ROUTE, "shop");
        }
        return KubernetesConfig.from(k, dir);
    }

    @Test
    void offlineRenderRoundTripsThroughTheModelTypes() throws Exception {
        List<HasMetadata> made = ManifestRender.manifests(config(true), "v7", 25, null);
        String yaml = ManifestRender.yaml(made);
        assertThat(yaml.split("(?m)^---$")).hasSize(4);
        List<HasMetadata> back = new ArrayList<>();
        for (String doc : yaml.split("(?m)^---$")) {
            if (!doc.isBlank()) {
                back.add(new KubernetesSerialization().unmarshal(doc));
            }
        }
        assertThat(back).hasSize(3).containsExactlyElementsOf(made);
        Deployment d = (Deployment) back.get(0);
        assertThat(d.getMetadata().getName()).isEqualTo("shop-blue");
        assertThat(d.getMetadata().getNamespace()).isEqualTo("prod");
        assertThat(d.getSpec().getReplicas()).isEqualTo(3);
        assertThat(d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage()).isEqualTo("ghcr.io/acme/shop:v7");
        assertThat(d.getSpec().getSelector().getMatchLabels()).containsEntry("app", "shop").containsEntry("switchback.dev/slot", "blue");
        assertThat(d.getSpec().getTemplate().getMetadata().getLabels()).containsEntry("switchback.dev/release", "v7")
                .containsAllEntriesOf(d.getSpec().getSelector().getMatchLabels());
        assertThat(((Service) back.get(1)).getSpec().getSelector()).containsEntry("switchback.dev/slot", "blue");
        HTTPRoute r = (HTTPRoute) back.get(2);
        assertThat(r.getApiVersion()).isEqualTo("gateway.networking.k8s.io/v1");
        assertThat(r.getSpec().getRules().get(0).getBackendRefs()).extracting(HTTPBackendRef::getName, HTTPBackendRef::getWeight)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("shop-blue", 25), org.assertj.core.groups.Tuple.tuple("shop-green", 75));
    }

    @Test
    void serveGetsTheSecretsItsConfigNamesFromAnOptionalSecret() throws Exception {
        Deployment serve = ServeManifests.manifests(config(true), "ghcr.io/acme/switchback:1").stream()
                .filter(Deployment.class::isInstance).map(Deployment.class::cast).findFirst().orElseThrow();
        assertThat(serve.getSpec().getTemplate().getSpec().getContainers().get(0).getEnvFrom()).singleElement().satisfies(e -> {
            assertThat(e.getSecretRef().getName()).isEqualTo("shop-switchback-env");
            assertThat(e.getSecretRef().getOptional()).isTrue();
        });
    }

    @Test
    void withoutARouteOnlyAllOrNothing() throws Exception {
        List<HasMetadata> made = ManifestRender.manifests(config(false), "v7", 100, null);
        assertThat(made).extracting(HasMetadata::getKind).containsExactly("Deployment", "Service", "Service");
        assertThat(made.get(2).getMetadata().getName()).isEqualTo("shop");
        assertThatThrownBy(() -> ManifestRender.manifests(config(false), "v7", 10, null)).hasMessageContaining("0 or 100");
    }

    @Test
    void aTemplateWithoutReleaseIsRefused() throws Exception {
        KubernetesConfig c = config(true);
        Files.writeString(c.template(), "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x}\n");
        assertThatThrownBy(() -> ManifestRender.manifests(c, "v7", 0, null)).hasMessageContaining("no ${RELEASE}");
    }
}

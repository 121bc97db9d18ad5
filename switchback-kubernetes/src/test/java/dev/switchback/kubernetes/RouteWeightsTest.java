package dev.switchback.kubernetes;

import dev.switchback.deploy.Slot;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.zjsonpatch.JsonPatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The weights' JSON patch, applied with the JSON-patch library the fabric8 mock uses (the mock does not answer a
 * failed test operation, so the refusal is checked here): it changes only the two weights of the named rule, and a
 * route changed since it was read (another resourceVersion, refs moved) refuses it as a whole.
 */
class RouteWeightsTest {
    private static final JsonMapper JSON = JsonMapper.shared();
    @TempDir
    Path dir;

    private RouteWeights weights() throws Exception {
        Files.writeString(dir.resolve("d.yaml"), "kind: Deployment\n# ${RELEASE}\n");
        Map<KubernetesSetting, String> k = new EnumMap<>(KubernetesSetting.class);
        k.put(KubernetesSetting.NAME, "shop");
        k.put(KubernetesSetting.NAMESPACE, "prod");
        k.put(KubernetesSetting.DEPLOYMENT, "d.yaml");
        k.put(KubernetesSetting.HTTP_ROUTE, "shop");
        k.put(KubernetesSetting.HTTP_ROUTE_RULE, "1");
        return new RouteWeights(null, KubernetesConfig.from(k, dir), null, Slot.BLUE);
    }

    private static HTTPRoute route(String rv) {
        return new HTTPRouteBuilder().withNewMetadata().withName("shop").withResourceVersion(rv).endMetadata().withNewSpec()
                .addNewRule().addNewBackendRef().withName("search").withPort(9000).withWeight(3).endBackendRef().endRule()
                .addNewRule().addNewBackendRef().withName("shop-blue").withPort(8080).withWeight(100).endBackendRef()
                .addNewBackendRef().withName("shop-green").withPort(8080).endBackendRef().endRule().endSpec().build();
    }

    private static JsonNode json(HTTPRoute r) {
        return JSON.readTree(new KubernetesSerialization().asJson(r));
    }

    @Test
    void changesOnlyTheTwoWeightsOfTheRule() throws Exception {
        HTTPRoute read = route("41");
        String ops = weights().patch(read, Slot.GREEN, 10);
        JsonNode after = JsonPatch.apply(JSON.readTree(ops), json(read));
        HTTPRoute expected = route("41");
        expected.getSpec().getRules().get(1).getBackendRefs().get(0).setWeight(90);
        expected.getSpec().getRules().get(1).getBackendRefs().get(1).setWeight(10);
        assertThat(after).isEqualTo(json(expected));
        assertThat(weights().patch(expected, Slot.GREEN, 10)).as("nothing to change, no call").isNull();
    }

    @Test
    void aRouteChangedSinceItWasReadRefusesThePatch() throws Exception {
        String ops = weights().patch(route("41"), Slot.GREEN, 50);
        assertThatThrownBy(() -> JsonPatch.apply(JSON.readTree(ops), json(route("42")))).hasMessageContaining("Expected value \"41\" but found value \"42\"");
        HTTPRoute swapped = route("41");
        java.util.Collections.reverse(swapped.getSpec().getRules().get(1).getBackendRefs());
        assertThatThrownBy(() -> JsonPatch.apply(JSON.readTree(ops), json(swapped))).hasMessageContaining("Expected value \"shop-green\" but found value \"shop-blue\"");
    }
}

package dev.switchback.kubernetes;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.switchback.deploy.Slot;
import dev.switchback.migration.ErrorCode;
import dev.switchback.migration.SwitchbackException;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPBackendRef;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteRule;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;

import java.util.List;

/**
 * Weights by a Gateway API HTTPRoute: only the {@code backendRefs[].weight} of the blue and green Services in the named
 * rule change, by a JSON patch whose first operations test the resourceVersion and the refs' names. Anyone else's change
 * to the route in between fails the test (the API answers 422/409) and the weights are read and patched again; nothing
 * else of the route is ever written.
 */
final class RouteWeights extends ClusterTraffic {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int ATTEMPTS = 5;
    private final KubernetesClient client;
    private final KubernetesConfig config;
    /** Runs between the read of the route and the patch: a test's concurrent editor. */
    Runnable beforePatch = () -> {
    };

    RouteWeights(KubernetesClient client, KubernetesConfig config, PrometheusCounters counters, Slot routed) {
        super(counters, routed);
        this.client = client;
        this.config = config;
    }

    @Override
    void weights(Slot slot, int weight) {
        for (int attempt = 1; ; attempt++) {
            HTTPRoute route = client.resources(HTTPRoute.class).inNamespace(config.namespace()).withName(config.httpRoute()).get();
            if (route == null) {
                throw new SwitchbackException(ErrorCode.CONFIG, "HTTPRoute " + config.namespace() + "/" + config.httpRoute()
                        + " (deploy.kubernetes.httpRoute) does not exist; `switchback k8s render` prints one to apply");
            }
            String ops = patch(route, slot, weight);
            if (ops == null) {
                return;
            }
            try {
                client.resources(HTTPRoute.class).inNamespace(config.namespace()).withName(config.httpRoute())
                        .patch(PatchContext.of(PatchType.JSON), ops);
                return;
            } catch (KubernetesClientException e) {
                if ((e.getCode() == 409 || e.getCode() == 422) && attempt < ATTEMPTS) {
                    continue;
                }
                throw new SwitchbackException(ErrorCode.FAILED, "Could not set the weights of HTTPRoute " + config.httpRoute()
                        + " (" + attempt + " attempt(s)): " + e.getMessage(), e);
            }
        }
    }

    /**
     * The JSON patch that gives {@code slot} {@code weight} percent and the other slot the rest in {@code route} as read:
     * tests of its resourceVersion and of the two refs' names first, then the weights that change; null when none does.
     */
    String patch(HTTPRoute route, Slot slot, int weight) {
        List<HTTPRouteRule> rules = route.getSpec() == null || route.getSpec().getRules() == null ? List.of() : route.getSpec().getRules();
        if (config.httpRouteRule() >= rules.size()) {
            throw new SwitchbackException(ErrorCode.CONFIG, "HTTPRoute " + config.httpRoute() + " has " + rules.size()
                    + " rule(s): deploy.kubernetes.httpRouteRule " + config.httpRouteRule() + " is not one of them");
        }
        List<HTTPBackendRef> refs = rules.get(config.httpRouteRule()).getBackendRefs();
        int mine = index(refs, slot);
        int other = index(refs, slot.other());
        ArrayNode ops = JSON.createArrayNode();
        ops.addObject().put("op", "test").put("path", "/metadata/resourceVersion").put("value", route.getMetadata().getResourceVersion());
        String base = "/spec/rules/" + config.httpRouteRule() + "/backendRefs/";
        boolean change = set(ops, base, mine, refs.get(mine), weight) | set(ops, base, other, refs.get(other), 100 - weight);
        return change ? ops.toString() : null;
    }

    private static boolean set(ArrayNode ops, String base, int i, HTTPBackendRef ref, int weight) {
        ops.addObject().put("op", "test").put("path", base + i + "/name").put("value", ref.getName());
        if (ref.getWeight() != null && ref.getWeight() == weight) {
            return false;
        }
        ops.addObject().put("op", "add").put("path", base + i + "/weight").put("value", weight);
        return true;
    }

    private int index(List<HTTPBackendRef> refs, Slot slot) {
        String name = config.deployment(slot);
        for (int i = 0; refs != null && i < refs.size(); i++) {
            HTTPBackendRef r = refs.get(i);
            if (name.equals(r.getName()) && (r.getKind() == null || r.getKind().equals("Service"))) {
                return i;
            }
        }
        throw new SwitchbackException(ErrorCode.CONFIG, "Rule " + config.httpRouteRule() + " of HTTPRoute " + config.httpRoute()
                + " has no backendRef to the Service " + name + ": list both " + config.deployment(Slot.BLUE) + " and "
                + config.deployment(Slot.GREEN) + " there (`switchback k8s render` shows the rule)");
    }
}

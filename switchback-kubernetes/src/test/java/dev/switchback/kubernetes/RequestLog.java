package dev.switchback.kubernetes;

import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Test code: every request a client makes, as the RBAC check sees it (API group, resource, name, verb). */
final class RequestLog implements Interceptor {
    private static final Pattern PATH = Pattern.compile("/(?:api/v1|apis/([^/]+)/[^/]+)/namespaces/[^/]+/([^/?]+)(?:/([^/?]+))?(/[^?]*)?");
    private final List<Call> calls = new CopyOnWriteArrayList<>();

    record Call(String group, String resource, String name, String verb) {
        boolean allowedBy(List<PolicyRule> rules) {
            return rules.stream().anyMatch(r -> r.getApiGroups().contains(group) && r.getResources().contains(resource)
                    && r.getVerbs().contains(verb) && (r.getResourceNames() == null || r.getResourceNames().isEmpty()
                    || r.getResourceNames().contains(name)));
        }
    }

    /** Adds this log, and {@code meter} beside it (a builder takes one consumer), to the clients {@code builder} builds. */
    KubernetesClientBuilder on(KubernetesClientBuilder builder, ApiCallMeter meter) {
        return builder.withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor("request-log", this)
                .addOrReplaceInterceptor("switchback-meter", meter));
    }

    @Override
    public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
        Matcher m = PATH.matcher(request.uri().getRawPath());
        if (!m.matches()) {
            throw new AssertionError("not a namespaced API call: " + request.method() + " " + request.uri());
        }
        String resource = m.group(2) + (m.group(4) == null ? "" : m.group(4));
        String verb = switch (request.method()) {
            case "GET" -> m.group(3) == null ? "list" : "get";
            case "POST" -> "create";
            case "PUT" -> "update";
            case "PATCH" -> "patch";
            case "DELETE" -> "delete";
            default -> request.method();
        };
        calls.add(new Call(m.group(1) == null ? "" : m.group(1), resource, m.group(3), verb));
    }

    List<Call> calls() {
        return calls;
    }
}

package dev.switchback.kubernetes;

import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

import java.util.concurrent.atomic.AtomicLong;

/** Counts the API calls a client makes, for the logs and the figures. */
public final class ApiCallMeter implements Interceptor {
    private final AtomicLong calls = new AtomicLong();

    /** Adds this meter to the clients {@code builder} builds. */
    public KubernetesClientBuilder on(KubernetesClientBuilder builder) {
        return builder.withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor("switchback-meter", this));
    }

    @Override
    public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
        calls.incrementAndGet();
    }

    public long calls() {
        return calls.get();
    }
}

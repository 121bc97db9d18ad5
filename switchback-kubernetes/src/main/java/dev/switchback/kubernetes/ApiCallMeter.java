package dev.switchback.kubernetes;

import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.AsyncBody;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.http.Interceptor;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts the API calls a client makes and the time they took (request sent to response headers), for the logs and the
 * figures: what a perform would cost against an API server farther away.
 */
public final class ApiCallMeter implements Interceptor {
    private final AtomicLong calls = new AtomicLong();
    private final AtomicLong nanos = new AtomicLong();
    // the start of each call in flight, by method and URI: the client hands after() a request rebuilt from before()'s
    private final Map<String, Queue<Long>> started = new ConcurrentHashMap<>();

    /** Adds this meter to the clients {@code builder} builds. */
    public KubernetesClientBuilder on(KubernetesClientBuilder builder) {
        return builder.withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor("switchback-meter", this));
    }

    @Override
    public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
        calls.incrementAndGet();
        started.computeIfAbsent(key(request), k -> new ConcurrentLinkedQueue<>()).add(System.nanoTime());
    }

    @Override
    public void after(HttpRequest request, HttpResponse<?> response, AsyncBody.Consumer<List<ByteBuffer>> consumer) {
        Queue<Long> q = started.get(key(request));
        Long t0 = q == null ? null : q.poll();
        if (t0 != null) {
            nanos.addAndGet(System.nanoTime() - t0);
        }
    }

    private static String key(HttpRequest r) {
        return r.method() + " " + r.uri();
    }

    public long calls() {
        return calls.get();
    }

    /** The time spent waiting for the API's answers (headers), all calls together. */
    public long apiNanos() {
        return nanos.get();
    }
}

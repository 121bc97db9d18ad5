package dev.switchback.kubernetes;

import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.AsyncBody;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.http.Interceptor;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Counts the API calls a client makes and the time they took (request sent to response headers), for the logs and the
 * figures: what a perform would cost against an API server farther away.
 */
public final class ApiCallMeter implements Interceptor {
    /** Longer than any call takes to answer (fabric8's request timeout is 10 s, its retries add a few more). */
    private static final Duration STALE = Duration.ofMinutes(5);
    private final AtomicLong calls = new AtomicLong();
    private final AtomicLong nanos = new AtomicLong();
    // the start of each call in flight, by method and URI (the client hands after() a request rebuilt from before()'s);
    // after() or afterConnectionFailure() (a failed attempt that is retried) take its start off
    private final Map<String, Queue<Long>> started = new ConcurrentHashMap<>();

    /** Adds this meter to the clients {@code builder} builds. */
    public KubernetesClientBuilder on(KubernetesClientBuilder builder) {
        return builder.withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor("switchback-meter", this));
    }

    private final LongSupplier ticker;

    public ApiCallMeter() {
        this(System::nanoTime);
    }

    ApiCallMeter(LongSupplier ticker) {
        this.ticker = ticker;
    }

    @Override
    public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
        calls.incrementAndGet();
        long now = ticker.getAsLong();
        // a call that failed without a response on its last attempt is not reported to any interceptor: its start goes
        // once it is older than any call could take, so the map holds no more than the calls of the last few minutes
        for (String k : started.keySet()) {
            started.computeIfPresent(k, (key, q) -> {
                q.removeIf(t0 -> now - t0 > STALE.toNanos());
                return q.isEmpty() ? null : q;
            });
        }
        started.compute(key(request), (k, q) -> {
            Queue<Long> starts = q == null ? new ConcurrentLinkedQueue<>() : q;
            starts.add(now);
            return starts;
        });
    }

    @Override
    public void after(HttpRequest request, HttpResponse<?> response, AsyncBody.Consumer<List<ByteBuffer>> consumer) {
        Long t0 = ended(request);
        if (t0 != null) {
            nanos.addAndGet(ticker.getAsLong() - t0);
        }
    }

    /** A call that got no response (refused, reset, timed out) is no longer in flight: its start is dropped, not timed. */
    @Override
    public void afterConnectionFailure(HttpRequest request, Throwable failure) {
        ended(request);
    }

    /** The start of the oldest call in flight to the same method and URI, taken off; its queue goes once empty. */
    private Long ended(HttpRequest request) {
        Long[] t0 = new Long[1];
        started.computeIfPresent(key(request), (k, q) -> {
            t0[0] = q.poll();
            return q.isEmpty() ? null : q;
        });
        return t0[0];
    }

    /** Calls sent that have neither had their response nor failed. */
    int inFlight() {
        return started.values().stream().mapToInt(Queue::size).sum();
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

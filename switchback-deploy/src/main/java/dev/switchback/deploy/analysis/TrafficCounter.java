package dev.switchback.deploy.analysis;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * One side's counters as the router keeps them: requests, errors (5xx from the release and the router's own 502/504)
 * and the latency buckets. Any thread records; {@link #window()} takes a snapshot for the judge.
 */
public final class TrafficCounter {
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final AtomicLongArray buckets = new AtomicLongArray(Latencies.BUCKETS);
    /** The range of buckets used so far, widened before a bucket outside it is counted, so a snapshot copies only these. */
    private final AtomicInteger lowest = new AtomicInteger(Latencies.BUCKETS);
    private final AtomicInteger highest = new AtomicInteger(-1);

    /** @param error a 5xx answer, from the release or from the router because the release failed */
    public void record(boolean error, long nanos) {
        // requests before errors, and window() reads them the other way round, so a snapshot never has more errors than requests
        requests.incrementAndGet();
        if (error) {
            errors.incrementAndGet();
        }
        int bucket = Latencies.bucket(nanos / 1000);
        if (bucket < lowest.get()) {
            lowest.accumulateAndGet(bucket, Math::min);
        }
        if (bucket > highest.get()) {
            highest.accumulateAndGet(bucket, Math::max);
        }
        buckets.incrementAndGet(bucket);
    }

    /** Everything recorded so far. */
    public Window window() {
        long e = errors.get();
        long r = requests.get();
        int low = lowest.get();
        int high = highest.get();
        if (high < low) {
            return new Window(r, e, Latencies.NONE);
        }
        long[] counts = new long[high - low + 1];
        for (int i = 0; i < counts.length; i++) {
            counts[i] = buckets.get(low + i);
        }
        return new Window(r, e, Latencies.of(low, counts));
    }
}

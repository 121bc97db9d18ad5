package dev.switchback.server;

import dev.switchback.deploy.SlotTraffic;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * The router's counters of one slot, written by every event loop without a lock (adders and one atomic increment per
 * request, nothing allocated) and read whole as a {@link SlotTraffic} by whoever judges the release.
 */
final class SlotCounters {
    final AtomicInteger inFlight = new AtomicInteger();
    private final LongAdder requests = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final AtomicLongArray latency = new AtomicLongArray(SlotTraffic.BUCKETS);

    /** A forwarded request ended with {@code status} (499: the client went) after {@code nanos}. */
    void record(int status, long nanos) {
        latency.incrementAndGet(SlotTraffic.bucket(nanos));
        if (status >= 500) {
            errors.increment();
        }
        requests.increment();
    }

    /**
     * Not one atomic reading: a request ending meanwhile may be in the histogram and not yet in the counts, or the
     * other way round. A window over many requests does not notice one.
     */
    SlotTraffic snapshot() {
        long[] counts = new long[SlotTraffic.BUCKETS];
        for (int i = 0; i < counts.length; i++) {
            counts[i] = latency.get(i);
        }
        return new SlotTraffic(requests.sum(), errors.sum(), counts);
    }
}

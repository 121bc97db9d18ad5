package dev.switchback.deploy;

import java.util.Arrays;

/**
 * What the router saw of one slot since it started: answered requests, errors among them (5xx from the release and the
 * 502/504 the router gave because the release failed) and their latencies in a fixed log histogram. Take two and
 * {@link #minus subtract} them for a window.
 *
 * <p>The histogram's buckets are eight per power of two from 1 µs (each about 9 % wide, so a percentile is within 4.5 %
 * of the truth) up to about 69 s, and one for anything longer: 209 counts, however many requests.
 */
public record SlotTraffic(long requests, long errors, long[] latencyCounts) {
    private static final int SUB = 8;
    private static final int SUB_BITS = 3;
    private static final int MIN_EXP = 10; // 2^10 ns, about 1 µs: everything faster shares bucket 0
    private static final int MAX_EXP = 36; // 2^36 ns, about 69 s
    public static final int BUCKETS = (MAX_EXP - MIN_EXP) * SUB + 1;
    public static final SlotTraffic NONE = new SlotTraffic(0, 0, new long[BUCKETS]);

    public SlotTraffic {
        if (latencyCounts.length != BUCKETS) {
            throw new IllegalArgumentException("a latency histogram has " + BUCKETS + " buckets, not " + latencyCounts.length);
        }
    }

    /** The bucket of a latency: allocation-free, for the router's hot path. */
    public static int bucket(long nanos) {
        if (nanos < (1L << MIN_EXP)) {
            return 0;
        }
        int exp = 63 - Long.numberOfLeadingZeros(nanos);
        if (exp >= MAX_EXP) {
            return BUCKETS - 1;
        }
        int sub = (int) (nanos >>> (exp - SUB_BITS)) & (SUB - 1);
        return (exp - MIN_EXP) * SUB + sub + 1;
    }

    /** The largest latency a bucket holds (the last one is open: its lower bound). */
    public static long upperNanos(int bucket) {
        if (bucket == 0) {
            return 1L << MIN_EXP;
        }
        if (bucket >= BUCKETS - 1) {
            return 1L << MAX_EXP;
        }
        int exp = (bucket - 1) / SUB + MIN_EXP;
        int sub = (bucket - 1) % SUB;
        return (long) (SUB + sub + 1) << (exp - SUB_BITS);
    }

    /** This minus an earlier reading of the same counters: what happened in between. */
    public SlotTraffic minus(SlotTraffic earlier) {
        long[] counts = new long[BUCKETS];
        for (int i = 0; i < BUCKETS; i++) {
            counts[i] = latencyCounts[i] - earlier.latencyCounts[i];
        }
        return new SlotTraffic(requests - earlier.requests, errors - earlier.errors, counts);
    }

    public double errorRate() {
        return requests == 0 ? 0 : (double) errors / requests;
    }

    /** The latency under which a share {@code q} (0-1) of the requests finished, by bucket bound; 0 with none. */
    public long percentileNanos(double q) {
        long total = 0;
        for (long c : latencyCounts) {
            total += c;
        }
        if (total == 0) {
            return 0;
        }
        long rank = Math.max(1, (long) Math.ceil(q * total));
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += latencyCounts[i];
            if (seen >= rank) {
                return upperNanos(i);
            }
        }
        return upperNanos(BUCKETS - 1);
    }

    public double p99Millis() {
        return percentileNanos(0.99) / 1e6;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SlotTraffic t && t.requests == requests && t.errors == errors
                && Arrays.equals(t.latencyCounts, latencyCounts);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(requests) * 31 + Long.hashCode(errors) * 17 + Arrays.hashCode(latencyCounts);
    }

    @Override
    public String toString() {
        return "SlotTraffic[requests=" + requests + ", errors=" + errors + ", p99Ms=" + p99Millis() + "]";
    }
}

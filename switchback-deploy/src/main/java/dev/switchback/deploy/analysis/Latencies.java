package dev.switchback.deploy.analysis;

import java.util.Arrays;

/**
 * How long a side's requests took, as counts in fixed buckets: bounded memory (at most 384 counts) however many requests,
 * and two snapshots of the same counter subtract into what happened between them. Buckets are exact below 16 µs,
 * then 16 per power of two (at most 6.25% wide) up to 2^27 µs (about 134 s); anything longer counts in the last.
 */
public final class Latencies {
    static final int BUCKETS = 384;
    private static final long MAX_MICROS = (1L << 27) - 1;
    public static final Latencies NONE = new Latencies(0, new long[0]);

    /** Counts of buckets {@code first, first + 1, ...}; the buckets outside are empty (a service uses few of them). */
    private final int first;
    private final long[] counts;
    private final long total;

    private Latencies(int first, long[] counts) {
        this.first = first;
        this.counts = counts;
        long sum = 0;
        for (long c : counts) {
            sum += c;
        }
        this.total = sum;
    }

    /** A snapshot of the counts of buckets {@code first ...} as a {@link TrafficCounter} keeps them; takes the array. */
    static Latencies of(int first, long[] counts) {
        if (first < 0 || first + counts.length > BUCKETS) {
            throw new IllegalArgumentException("latency buckets " + first + " to " + (first + counts.length)
                    + " are outside 0 to " + BUCKETS);
        }
        return new Latencies(first, counts);
    }

    /** {@code counts[i]} requests of {@code micros[i]} µs each, in this histogram's buckets. */
    static Latencies fromMicros(long[] micros, long[] counts) {
        long[] all = new long[BUCKETS];
        int low = BUCKETS;
        int high = -1;
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] > 0) {
                int b = bucket(micros[i]);
                all[b] += counts[i];
                low = Math.min(low, b);
                high = Math.max(high, b);
            }
        }
        return high < low ? NONE : new Latencies(low, java.util.Arrays.copyOfRange(all, low, high + 1));
    }

    /** The bucket a request of {@code micros} counts in. */
    static int bucket(long micros) {
        long v = Math.min(Math.max(micros, 0), MAX_MICROS);
        if (v < 16) {
            return (int) v;
        }
        int e = 63 - Long.numberOfLeadingZeros(v);
        return 16 * (e - 3) + (int) ((v >> (e - 4)) - 16);
    }

    /** The smallest latency, in µs, that counts in bucket {@code i}. */
    static long lowerMicros(int i) {
        if (i < 16) {
            return i;
        }
        return (16L + i % 16) << (i / 16 - 1);
    }

    public long count() {
        return total;
    }

    /** Requests in the buckets above {@code bucket}: slower than any latency that bucket holds. */
    long above(int bucket) {
        long n = 0;
        for (int i = Math.max(bucket + 1 - first, 0); i < counts.length; i++) {
            n += counts[i];
        }
        return n;
    }

    /** The p99 in milliseconds, interpolated within its bucket; 0 with no requests. */
    public double p99Millis() {
        return quantileMicros(0.99) / 1000.0;
    }

    double quantileMicros(double q) {
        if (total == 0) {
            return 0;
        }
        double rank = q * total;
        long seen = 0;
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] > 0 && seen + counts[i] >= rank) {
                int bucket = first + i;
                long low = lowerMicros(bucket);
                long high = bucket + 1 < BUCKETS ? lowerMicros(bucket + 1) : low;
                return low + (high - low) * (rank - seen) / counts[i];
            }
            seen += counts[i];
        }
        return lowerMicros(first + counts.length - 1);
    }

    /** What was counted after {@code earlier}, a snapshot of the same counter. */
    Latencies minus(Latencies earlier) {
        long[] d = counts.clone();
        for (int i = 0; i < earlier.counts.length; i++) {
            int bucket = earlier.first + i;
            long now = bucket >= first && bucket < first + counts.length ? counts[bucket - first] : 0;
            if (now < earlier.counts[i]) {
                throw new IllegalArgumentException("latency bucket " + bucket + " went from " + earlier.counts[i] + " down to "
                        + now + ": windows must be snapshots of one counter, each later than the last");
            }
            if (earlier.counts[i] > 0) {
                d[bucket - first] -= earlier.counts[i];
            }
        }
        return new Latencies(first, d);
    }

    long[] buckets() {
        long[] all = new long[BUCKETS];
        System.arraycopy(counts, 0, all, first, counts.length);
        return all;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Latencies l && Arrays.equals(buckets(), l.buckets());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(buckets());
    }

    @Override
    public String toString() {
        return "Latencies[count=" + total + ", p99=" + p99Millis() + "ms]";
    }
}

package dev.switchback.deploy.analysis;

/**
 * What one side served since the step began: a snapshot of its {@link TrafficCounter} (or of counters kept the same way).
 *
 * @param errors 5xx answers from the release plus the 502/504 the router gave because the release failed
 */
public record Window(long requests, long errors, Latencies latencies) {
    public static final Window EMPTY = new Window(0, 0, Latencies.NONE);

    public Window {
        if (requests < 0 || errors < 0 || errors > requests) {
            throw new IllegalArgumentException("a window needs 0 <= errors <= requests, got " + errors + " errors of "
                    + requests + " requests");
        }
        if (latencies == null) {
            throw new IllegalArgumentException("a window needs its latencies (Latencies.NONE when none were measured)");
        }
    }

    /**
     * A window from counts another histogram kept: {@code counts[i]} requests of about {@code micros[i]} µs each (e.g. the
     * router's per-slot counters). Snapshots of one counter stay snapshots of one counter, so they subtract as the judge needs.
     */
    public static Window of(long requests, long errors, long[] micros, long[] counts) {
        return new Window(requests, Math.min(errors, requests), Latencies.fromMicros(micros, counts));
    }

    public double errorRate() {
        return requests == 0 ? 0 : (double) errors / requests;
    }

    /** What happened after {@code earlier}, a snapshot of the same counters. */
    Window minus(Window earlier) {
        if (requests < earlier.requests || errors < earlier.errors) {
            throw new IllegalArgumentException("counters went backwards, from " + earlier.requests + " requests and "
                    + earlier.errors + " errors to " + requests + " and " + errors
                    + ": windows must be snapshots of one counter, each later than the last (start a new Judge for a new step)");
        }
        return new Window(requests - earlier.requests, errors - earlier.errors, latencies.minus(earlier.latencies));
    }
}

package dev.switchback.deploy.rollout;

import dev.switchback.deploy.SlotTraffic;
import dev.switchback.deploy.analysis.Window;

/** The router's per-slot counters as the judge's windows. */
final class Windows {
    private static final long[] MIDPOINT_MICROS = new long[SlotTraffic.BUCKETS];

    static {
        for (int i = 0; i < SlotTraffic.BUCKETS; i++) {
            long low = i == 0 ? 0 : SlotTraffic.upperNanos(i - 1);
            MIDPOINT_MICROS[i] = (low + SlotTraffic.upperNanos(i)) / 2 / 1000;
        }
    }

    private Windows() {
    }

    static Window of(SlotTraffic t) {
        return Window.of(t.requests(), t.errors(), MIDPOINT_MICROS, t.latencyCounts());
    }

    /**
     * {@code baseline} scaled down or up to {@code requests} requests, the same error rate and latency shape: the
     * previous release's figures from before a switch, as a side the size of what the new release served since.
     * Grows monotonically with {@code requests}, as a counter's snapshots do.
     */
    static SlotTraffic scaled(SlotTraffic baseline, long requests) {
        if (baseline.requests() == 0) {
            return SlotTraffic.NONE;
        }
        double f = (double) requests / baseline.requests();
        long[] counts = new long[SlotTraffic.BUCKETS];
        for (int i = 0; i < counts.length; i++) {
            counts[i] = (long) Math.floor(baseline.latencyCounts()[i] * f);
        }
        return new SlotTraffic(requests, Math.min(requests, (long) Math.floor(baseline.errors() * f)), counts);
    }
}

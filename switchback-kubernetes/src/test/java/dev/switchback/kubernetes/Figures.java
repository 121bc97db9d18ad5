package dev.switchback.kubernetes;

/**
 * TEST CODE: prints the API calls, their time and the wall time of each perform, canary step and serve pass, for the
 * README's figures (not asserted). {@link #start} before, {@link #print} after.
 */
final class Figures {
    private final ApiCallMeter meter;
    private long calls0;
    private long api0;
    private long t0;

    Figures(ApiCallMeter meter) {
        this.meter = meter;
    }

    void start() {
        calls0 = meter.calls();
        api0 = meter.apiNanos();
        t0 = System.nanoTime();
    }

    void print(String what) {
        System.out.printf("FIGURE %s: %d API calls, %.1f ms in the API, %.1f ms wall%n", what, meter.calls() - calls0,
                (meter.apiNanos() - api0) / 1e6, (System.nanoTime() - t0) / 1e6);
    }
}

package dev.switchback.kubernetes;

/** TEST CODE: prints the API calls and wall time of each perform and canary step, for the README's figures (not asserted). */
final class Figures {
    private Figures() {
    }

    static void perform(String what, long calls, long nanos) {
        System.out.printf("FIGURE %s: %d API calls, %.1f ms%n", what, calls, nanos / 1e6);
    }

    static void step(long calls, long nanos) {
        System.out.printf("FIGURE canary tick: %d API calls, %.1f ms%n", calls, nanos / 1e6);
    }
}

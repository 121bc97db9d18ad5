package dev.switchback.deploy;

import java.time.Duration;

/** The wait before each restart of a dead release: 1 s, 2 s, 4 s … doubling up to 60 s, then 60 s for every try after. */
public final class RestartBackoff {
    static final Duration FIRST = Duration.ofSeconds(1);
    static final Duration MAX = Duration.ofSeconds(60);

    private RestartBackoff() {
    }

    /** @param attempt 0 for the first restart after a failure */
    public static Duration delay(int attempt) {
        if (attempt >= 6) {
            return MAX;
        }
        Duration d = FIRST.multipliedBy(1L << attempt);
        return d.compareTo(MAX) > 0 ? MAX : d;
    }
}

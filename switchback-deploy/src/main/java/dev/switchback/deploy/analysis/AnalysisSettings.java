package dev.switchback.deploy.analysis;

import dev.switchback.migration.ErrorCode;
import dev.switchback.migration.SwitchbackException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * How a canary is judged: the {@code deploy.analysis.*} settings, validated once, every problem reported together.
 *
 * @param maxErrorRate   the canary fails above {@code max(maxErrorRate, stable rate + 0.5 points)}; a fraction, 0.01 is 1%
 * @param maxP99         the canary fails when its p99 is above {@code max(maxP99, 1.2 × stable p99)}
 * @param minRequests    nothing is decided before each side served this many requests
 * @param abortErrorRate the canary fails at once, without the test, above this error rate over at least
 *                       {@link #ABORT_MIN_REQUESTS} requests; a fraction
 * @param interval       the window reported in status and history (the judge itself looks at the whole step)
 * @param warmup         for this long after a new release first takes traffic its latency is not judged, only its
 *                       errors: a freshly started process (a JVM compiling its hot paths) answers slowly at first
 */
public record AnalysisSettings(double maxErrorRate, Duration maxP99, int minRequests, double abortErrorRate, Duration interval,
                               Duration warmup) {
    /** The fast path needs this many canary requests, so that one unlucky early error cannot abort a rollout. */
    public static final int ABORT_MIN_REQUESTS = 20;

    public static final AnalysisSettings DEFAULTS = new AnalysisSettings(0.01, Duration.ofMillis(500), 50, 0.20,
            Duration.ofSeconds(10), Duration.ofSeconds(10));

    public AnalysisSettings {
        List<String> problems = problems(maxErrorRate, maxP99, minRequests, abortErrorRate, interval, warmup);
        if (!problems.isEmpty()) {
            throw new SwitchbackException(ErrorCode.CONFIG, "Invalid analysis settings:\n  - " + String.join("\n  - ", problems));
        }
    }

    /** What is wrong with these values, one line per setting, named by its path in switchback.yml. */
    public static List<String> problems(double maxErrorRate, Duration maxP99, int minRequests, double abortErrorRate,
                                        Duration interval, Duration warmup) {
        List<String> problems = new ArrayList<>();
        if (!(maxErrorRate >= 0 && maxErrorRate < 1)) {
            problems.add("deploy.analysis.maxErrorRate must be at least 0% and below 100%, was " + percent(maxErrorRate));
        }
        if (!(abortErrorRate > 0 && abortErrorRate < 1)) {
            problems.add("deploy.analysis.abortErrorRate must be above 0% and below 100%, was " + percent(abortErrorRate));
        } else if (abortErrorRate <= maxErrorRate) {
            problems.add("deploy.analysis.abortErrorRate (" + percent(abortErrorRate) + ") must be above"
                    + " deploy.analysis.maxErrorRate (" + percent(maxErrorRate) + "), or every failure would be an abort");
        }
        if (maxP99 == null || maxP99.isNegative() || maxP99.isZero()) {
            problems.add("deploy.analysis.maxP99 must be above 0, was " + millis(maxP99));
        }
        if (minRequests < 1) {
            problems.add("deploy.analysis.minRequests cannot be less than 1, was " + minRequests);
        }
        if (interval == null || interval.compareTo(Duration.ofSeconds(1)) < 0) {
            problems.add("deploy.analysis.interval cannot be less than 1s (the judge looks every second), was " + millis(interval));
        }
        if (warmup == null || warmup.isNegative()) {
            problems.add("deploy.analysis.warmup cannot be negative (0s judges latency from the first request), was " + millis(warmup));
        }
        return problems;
    }

    private static String millis(Duration d) {
        return d == null ? "nothing" : d.toMillis() + "ms";
    }

    /** 0.005 as {@code 0.5%}: two decimals at most, no trailing zeros. */
    static String percent(double fraction) {
        return Figures.of(fraction * 100, 2) + "%";
    }
}

package dev.switchback.deploy.rollout;

import dev.switchback.migration.Settings;

import java.time.Duration;
import java.util.List;

/**
 * {@code deploy.rolling.*}: how a rolling update replaces instances.
 *
 * @param maxSurge         instances started above {@code replicas} in a batch
 * @param maxUnavailable   instances stopped before their replacements serve: capacity never goes below replicas minus this
 * @param pause            {@code deploy.rolling.wait}: the pause after each batch
 * @param progressDeadline an update not done this long after it began rolls back
 */
public record RollingSettings(int maxSurge, int maxUnavailable, Duration pause, Duration progressDeadline) {
    public static final RollingSettings DEFAULTS = new RollingSettings(1, 0, Duration.ZERO, Duration.ofMinutes(10));

    /** Every bad value is added to {@code problems}, named by its path. */
    public static RollingSettings parse(String maxSurge, String maxUnavailable, String wait, String progressDeadline,
                                        List<String> problems) {
        int before = problems.size();
        int surge = count("deploy.rolling.maxSurge", maxSurge, problems);
        int unavailable = count("deploy.rolling.maxUnavailable", maxUnavailable, problems);
        if (surge == 0 && unavailable == 0 && problems.size() == before) {
            problems.add("deploy.rolling.maxSurge and deploy.rolling.maxUnavailable cannot both be 0: nothing could be replaced");
        }
        Duration w = Settings.duration("deploy.rolling.wait", wait, problems);
        Duration deadline = Settings.duration("deploy.rolling.progressDeadline", progressDeadline, problems);
        if (deadline.toMillis() < 1000) {
            problems.add("deploy.rolling.progressDeadline cannot be less than 1s, was " + progressDeadline);
        }
        return new RollingSettings(surge, unavailable, w, deadline);
    }

    private static int count(String path, String value, List<String> problems) {
        String v = String.valueOf(value).strip();
        if (!v.matches("\\d{1,6}")) {
            problems.add(path + " must be a whole number of at least 0, was '" + value + "'");
            return 0;
        }
        return Integer.parseInt(v);
    }
}

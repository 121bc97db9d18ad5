package dev.switchback.deploy.rollout;

import dev.switchback.deploy.Stickiness;
import dev.switchback.migration.Settings;
import dev.switchback.migration.SwitchbackException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * How releases are rolled out: {@code deploy.strategy}, {@code deploy.canary.*}, {@code deploy.bluegreen.watch}.
 *
 * @param steps            canary weights in percent, ascending; {@link #PAUSE} waits for {@code upgrade promote}; 100 promotes
 * @param stepDuration     how long each step is held at least (and advanced only on a pass)
 * @param progressDeadline a step without a verdict for this long pauses the rollout with the reason
 * @param sticky           how a client stays on its side of the split
 * @param watch            how long the blue-green watch judges a new active release; zero turns it off
 * @param external         {@code deploy.analysis.prometheus}, or null
 * @param rolling          {@code deploy.rolling.*}
 */
public record RolloutSettings(Strategy strategy, List<Integer> steps, Duration stepDuration, Duration progressDeadline,
                              Stickiness sticky, Duration watch, ExternalMetric external, RollingSettings rolling) {
    /** A step that waits for {@code upgrade promote}. */
    public static final int PAUSE = -1;

    public static final RolloutSettings DEFAULTS = new RolloutSettings(Strategy.BLUEGREEN, List.of(5, 25, 50, 100),
            Duration.ofSeconds(60), Duration.ofMinutes(10), Stickiness.COOKIE, Duration.ofMinutes(5), null, RollingSettings.DEFAULTS);

    public RolloutSettings {
        steps = List.copyOf(steps);
    }

    public RolloutSettings withStrategy(Strategy s) {
        return new RolloutSettings(s, steps, stepDuration, progressDeadline, sticky, watch, external, rolling);
    }

    public RolloutSettings withStepDuration(Duration d) {
        return new RolloutSettings(strategy, steps, d, progressDeadline, sticky, watch, external, rolling);
    }

    public RolloutSettings withRolling(RollingSettings r) {
        return new RolloutSettings(strategy, steps, stepDuration, progressDeadline, sticky, watch, external, r);
    }

    /**
     * Reads the settings, adding one line per bad value to {@code problems} (named by its path in switchback.yml).
     *
     * @param steps a YAML list (one item a line) or comma-separated, e.g. {@code 5, 25, pause, 100}
     */
    public static RolloutSettings parse(String strategy, String steps, String stepDuration, String progressDeadline,
                                        String sticky, String watch, List<String> problems) {
        return parse(strategy, steps, stepDuration, progressDeadline, sticky, watch, null, problems);
    }

    /** @param external the external metric's url, query and max, or null */
    public static RolloutSettings parse(String strategy, String steps, String stepDuration, String progressDeadline,
                                        String sticky, String watch, String[] external, List<String> problems) {
        Strategy s = Strategy.BLUEGREEN;
        try {
            s = Strategy.parse(strategy);
        } catch (SwitchbackException e) {
            problems.add("deploy.strategy '" + strategy + "' is not one of bluegreen, canary, rolling");
        }
        List<Integer> weights = steps(steps, problems);
        int before = problems.size();
        Duration step = Settings.duration("deploy.canary.stepDuration", stepDuration, problems);
        if (problems.size() == before && step.compareTo(Duration.ofSeconds(1)) < 0) {
            problems.add("deploy.canary.stepDuration cannot be less than 1s (the judge looks every second), was " + step.toMillis() + "ms");
        }
        Duration deadline = Settings.duration("deploy.canary.progressDeadline", progressDeadline, problems);
        if (deadline.compareTo(step) < 0) {
            problems.add("deploy.canary.progressDeadline (" + progressDeadline + ") cannot be shorter than deploy.canary.stepDuration ("
                    + stepDuration + ")");
        }
        Stickiness st = Stickiness.COOKIE;
        try {
            st = Stickiness.parse(sticky);
        } catch (SwitchbackException e) {
            problems.add(e.getMessage());
        }
        Duration w = Settings.duration("deploy.bluegreen.watch", watch, problems);
        ExternalMetric metric = external == null ? null : ExternalMetric.parse(external[0], external[1], external[2], problems);
        return new RolloutSettings(s, weights, step, deadline, st, w, metric, RollingSettings.DEFAULTS);
    }

    static List<Integer> steps(String value, List<String> problems) {
        List<Integer> out = new ArrayList<>();
        String v = value == null ? "" : value.strip();
        if (v.startsWith("[") && v.endsWith("]")) {
            v = v.substring(1, v.length() - 1);
        }
        int last = 0;
        for (String item : v.split("[,\n]")) {
            String i = item.strip().replace("%", "");
            if (i.isEmpty()) {
                continue;
            }
            if (i.equals("pause")) {
                out.add(PAUSE);
                continue;
            }
            try {
                int w = Integer.parseInt(i);
                if (w < 1 || w > 100 || w <= last) {
                    problems.add("deploy.canary.steps: " + w + " is not a weight above " + last + " and at most 100 (steps go up)");
                }
                last = Math.max(last, w);
                out.add(w);
            } catch (NumberFormatException e) {
                problems.add("deploy.canary.steps: '" + item.strip() + "' is neither a weight in percent (1-100) nor pause");
            }
        }
        if (out.stream().noneMatch(w -> w != PAUSE)) {
            problems.add("deploy.canary.steps needs at least one weight, e.g. [5, 25, 50, 100]; was '" + value + "'");
        } else if (last != 100) {
            out.add(100);
        }
        return out;
    }
}

package dev.switchback.deploy.rollout;

import dev.switchback.deploy.SlotTraffic;

import java.util.ArrayList;
import java.util.List;

/**
 * One rollout as {@code .switchback/rollout.json} records it (written atomically beside state.json): the latest, also
 * after it ended, so that status can always say what happened and why.
 *
 * @param id           names the rollout for stickiness: a cookie of another rollout means nothing to this one
 * @param slot         where the new release runs (the canary, or the new active slot while watched)
 * @param stable       the slot of the release it replaces
 * @param step         index into {@code steps}; -1 for a blue-green watch
 * @param weight       the canary's share of clients now, in percent
 * @param verdicts     the judge's recorded verdicts, oldest first, at most {@link #MAX_VERDICTS}
 * @param reason       why it paused or ended
 * @param evidence     the judge's evidence so far, to resume a step after a daemon restart (null before the first look)
 * @param baseline     blue-green watch: what the previous release served before the switch
 */
public record Rollout(String id, Strategy strategy, String release, String slot, String stable, String stableRelease,
                      RolloutState state, int step, List<Integer> steps, int weight, String sticky, long stepDurationMs,
                      long progressDeadlineMs,
                      String started, String stepStarted, String ended, String reason, List<RolloutVerdict> verdicts,
                      double[] errorEvidence, double[] latencyEvidence, SlotTraffic baseline) {
    public static final int MAX_VERDICTS = 100;

    public Rollout {
        steps = steps == null ? List.of() : List.copyOf(steps);
        verdicts = verdicts == null ? List.of() : List.copyOf(verdicts);
    }

    Rollout with(RolloutState s, String why) {
        return new Rollout(id, strategy, release, slot, stable, stableRelease, s, step, steps, weight, sticky, stepDurationMs, progressDeadlineMs,
                started, stepStarted, s.live() ? null : java.time.Instant.now().toString(), why, verdicts, errorEvidence,
                latencyEvidence, baseline);
    }

    Rollout atStep(int index, int newWeight, String at) {
        return new Rollout(id, strategy, release, slot, stable, stableRelease, state, index, steps, newWeight, sticky,
                stepDurationMs, progressDeadlineMs, started, at, ended, reason, verdicts, null, null, baseline);
    }

    Rollout withWeight(int newWeight) {
        return new Rollout(id, strategy, release, slot, stable, stableRelease, state, step, steps, newWeight, sticky,
                stepDurationMs, progressDeadlineMs, started, stepStarted, ended, reason, verdicts, errorEvidence, latencyEvidence, baseline);
    }

    Rollout recording(RolloutVerdict v, double[] errors, double[] latency) {
        List<RolloutVerdict> all = new ArrayList<>(verdicts);
        all.add(v);
        while (all.size() > MAX_VERDICTS) {
            all.remove(0);
        }
        return new Rollout(id, strategy, release, slot, stable, stableRelease, state, step, steps, weight, sticky,
                stepDurationMs, progressDeadlineMs, started, stepStarted, ended, reason, all, errors, latency, baseline);
    }

    public RolloutVerdict lastVerdict() {
        return verdicts.isEmpty() ? null : verdicts.get(verdicts.size() - 1);
    }
}

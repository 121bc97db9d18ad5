package dev.switchback.deploy.rollout;

import dev.switchback.deploy.analysis.Verdict;

/**
 * A verdict as rollout.json, status and history show it, with the numbers behind it.
 *
 * @param step   the step it judged (-1: the blue-green watch)
 * @param weight the canary's weight then
 */
public record RolloutVerdict(String at, String verdict, String cause, String reason, int step, int weight, Verdict.Side canary,
                             Verdict.Side stable, double errorEvidence, double latencyEvidence) {

    static RolloutVerdict of(Verdict v, int step, int weight) {
        return new RolloutVerdict(v.at().toString(), v.verdict().json(), v.cause().json(), v.reason(), step, weight, v.canary(),
                v.stable(), v.errorEvidence(), v.latencyEvidence());
    }

    /** A decision made without the judge (promote, abort, a lost canary), recorded the same way. */
    static RolloutVerdict of(String at, String verdict, String cause, String reason, int step, int weight) {
        return new RolloutVerdict(at, verdict, cause, reason, step, weight, null, null, 0, 0);
    }
}

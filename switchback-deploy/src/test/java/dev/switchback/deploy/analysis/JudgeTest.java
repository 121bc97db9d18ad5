package dev.switchback.deploy.analysis;

import dev.switchback.deploy.analysis.Rollout.Release;
import dev.switchback.deploy.analysis.Verdict.Cause;
import dev.switchback.deploy.analysis.Verdict.Outcome;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class JudgeTest {
    private static final AnalysisSettings DEFAULTS = AnalysisSettings.DEFAULTS;
    private static final Instant START = new VirtualClock().instant();

    /** How many of {@code runs} seeded rollouts the judge failed within {@code seconds}, looking every second. */
    private static int failures(int runs, int seconds, Release canary, Release stable, AnalysisSettings settings, Cause... causes) {
        int failed = 0;
        for (int seed = 0; seed < runs; seed++) {
            Verdict v = new Rollout(seed, canary, stable, settings).run(seconds);
            if (v.failed()) {
                assertThat(v.cause()).as("seed %d: %s", seed, v.reason()).isIn((Object[]) causes);
                failed++;
            }
        }
        return failed;
    }

    @Test
    void identicalReleasesLookedAtEverySecondForTenMinutesFailAtMostOnePercent() {
        Release same = Release.of(20, 0.01);
        int failed = 0;
        for (int seed = 0; seed < 1000; seed++) {
            if (new Rollout(seed, same, same, DEFAULTS).run(600).failed()) {
                failed++;
            }
        }
        assertThat(failed).as("A/A rollouts failed of 1000").isLessThanOrEqualTo(10);
    }

    @Test
    void canaryAtThreePercentErrorsAgainstHalfAPercentIsFailedInAtLeastNinetyNinePercent() {
        int failed = failures(1000, 600, Release.of(20, 0.03), Release.of(20, 0.005), DEFAULTS, Cause.ERROR_RATE,
                Cause.ABORT_ERROR_RATE);
        assertThat(failed).isGreaterThanOrEqualTo(990);
    }

    @Test
    void canaryAtFivePercentErrorsAt20RequestsPerSecondIsFailedWithinTenSeconds() {
        // a 10% step of 200 requests per second: the canary gets 20, stable 180
        int failed = failures(1000, 10, Release.of(20, 0.05), Release.of(180, 0), DEFAULTS, Cause.ERROR_RATE,
                Cause.ABORT_ERROR_RATE);
        assertThat(failed).isGreaterThanOrEqualTo(950);
    }

    @Test
    void canaryHundredMillisecondsSlowerIsFailedOnLatency() {
        // stable's p99 is about 50 ms, so the limit is maxP99 as an operator of such a service sets it
        AnalysisSettings settings = new AnalysisSettings(0.01, Duration.ofMillis(100), 50, 0.2, Duration.ofSeconds(10), Duration.ZERO);
        Release stable = Release.of(20, 0);
        int failed = failures(100, 10, stable.slowerBy(100), stable, settings, Cause.LATENCY);
        assertThat(failed).isEqualTo(100);
    }

    /** maxP99 100 ms, warm-up 10 s: a canary 200 ms slower for its first 5 s (cold), then as fast as stable. */
    private static final AnalysisSettings WARMING = new AnalysisSettings(0.01, Duration.ofMillis(100), 50, 0.2,
            Duration.ofSeconds(10), Duration.ofSeconds(10));

    @Test
    void aCanarySlowOnlyWhileColdIsNotFailedOnLatencyWhenTheWarmUpCoversIt() {
        Release stable = Release.of(40, 0);
        Release cold = stable.slowerBy(200);
        for (int seed = 0; seed < 100; seed++) {
            Verdict v = new Rollout(seed, cold, 5, stable, stable, WARMING).run(60);
            assertThat(v.failed()).as("seed %d: %s", seed, v.reason()).isFalse();
            assertThat(v.verdict()).as("seed %d: %s", seed, v.reason()).isEqualTo(Outcome.PASS);
        }
        // the same traffic judged from the first request: the cold start fails it, which is what the warm-up is for
        AnalysisSettings noWarmup = new AnalysisSettings(0.01, Duration.ofMillis(100), 50, 0.2, Duration.ofSeconds(10), Duration.ZERO);
        Verdict cold0 = new Rollout(1, cold, 5, stable, stable, noWarmup).run(60);
        assertThat(cold0.cause()).as(cold0.reason()).isEqualTo(Cause.LATENCY);
    }

    @Test
    void duringTheWarmUpNothingPassesAndTheVerdictSaysWhy() {
        Release stable = Release.of(40, 0);
        Rollout r = new Rollout(3, stable, 0, stable, stable, WARMING);
        for (int s = 1; s <= 10; s++) { // the look at 10 s adds the stretch from 9 s: warm-up traffic still
            Verdict v = r.second();
            assertThat(v.verdict()).as("second %d: %s", s, v.reason()).isEqualTo(Outcome.NOT_YET);
            if (s >= 2) { // 50 requests a side served
                assertThat(v.cause()).isEqualTo(Cause.WARMING_UP);
                assertThat(v.reason()).startsWith("canary error rate 0% (0 of").contains("warming up: latency is judged from")
                        .contains("deploy.analysis.warmup 10s");
                assertThat(v.canary().p99Ms()).as("shown over everything served while not judged").isPositive();
            }
        }
        // from the warm-up's end, latency needs minRequests a side of its own before anything passes
        Verdict first = r.second();
        assertThat(first.verdict()).as(first.reason()).isEqualTo(Outcome.NOT_YET);
        assertThat(first.cause()).isEqualTo(Cause.TOO_FEW_REQUESTS);
        assertThat(first.reason()).contains("after the warm-up").contains("canary has 40");
        Verdict second = r.second();
        assertThat(second.verdict()).as(second.reason()).isEqualTo(Outcome.PASS);
        assertThat(second.canary().requests()).as("requests count over the whole step").isEqualTo(12 * 40);
        assertThat(second.canary().p99Ms()).isPositive();
    }

    @Test
    void errorsAreJudgedFromTheFirstRequestWarmUpOrNot() {
        Release stable = Release.of(180, 0);
        int failed = 0;
        for (int seed = 0; seed < 100; seed++) {
            Rollout r = new Rollout(seed, Release.of(20, 0.05), 0, Release.of(20, 0.05), stable, WARMING);
            Verdict v = r.run(9);
            if (v.failed()) {
                assertThat(v.cause()).isIn(Cause.ERROR_RATE, Cause.ABORT_ERROR_RATE);
                assertThat(v.at()).as("failed inside the warm-up").isBefore(r.judge.latencyFrom());
                failed++;
            }
        }
        // as without a warm-up (canaryAtFivePercentErrorsAt20RequestsPerSecondIsFailedWithinTenSeconds: 950 of 1000 in 10 s)
        assertThat(failed).isGreaterThanOrEqualTo(90);
    }

    @Test
    void aCanarySlowAfterItsWarmUpIsStillFailedOnLatency() {
        Release stable = Release.of(40, 0);
        Rollout r = new Rollout(5, stable.slowerBy(300), 5, stable.slowerBy(100), stable, WARMING);
        Verdict v = r.run(60);
        assertThat(v.cause()).as(v.reason()).isEqualTo(Cause.LATENCY);
        assertThat(v.at()).isAfter(r.judge.latencyFrom());
    }

    @Test
    void aLaterBatchRestartsTheWarmUpAndLatencyIsJudgedOnWhatCameAfter() {
        Release stable = Release.of(40, 0);
        Rollout r = new Rollout(7, stable, 0, stable, stable, WARMING);
        assertThat(r.run(15).verdict()).isEqualTo(Outcome.PASS);
        java.time.Instant later = r.clock.instant().plusSeconds(10);
        r.judge.warmUntil(later);
        r.judge.warmUntil(later.minusSeconds(5));
        assertThat(r.judge.latencyFrom()).as("a warm-up is never shortened").isEqualTo(later);
        Verdict v = r.second();
        assertThat(v.cause()).isEqualTo(Cause.WARMING_UP);
        for (int s = 0; s < 10; s++) {
            v = r.second();
        }
        assertThat(v.cause()).as("%s", v.reason()).isEqualTo(Cause.TOO_FEW_REQUESTS);
        assertThat(v.reason()).contains("canary has 40").as("only what came after the second warm-up");
        assertThat(r.second().verdict()).isEqualTo(Outcome.PASS);
    }

    @Test
    void canaryWhoseP99CrossesMaxP99IsFailedAtTheDefaults() {
        // stable's p99 is about 300 ms; 300 ms more puts the canary's near 600 ms, above max(500 ms, 360 ms)
        Release stable = Release.of(20, 0).withMedian(300 / Math.exp(2.326 * Rollout.SIGMA));
        int failed = failures(100, 60, stable.slowerBy(300), stable, DEFAULTS, Cause.LATENCY);
        assertThat(failed).isEqualTo(100);
    }

    @Test
    void canaryUnderMaxP99PassesHoweverMuchSlowerThanStable() {
        // the rule is max(maxP99, 1.2 × stable p99): 150 ms is within the default 500 ms
        Release stable = Release.of(20, 0);
        Verdict v = new Rollout(1, stable.slowerBy(100), stable, DEFAULTS).run(60);
        assertThat(v.verdict()).isEqualTo(Outcome.PASS);
        assertThat(v.canary().p99Ms()).isBetween(140.0, 170.0);
        assertThat(v.stable().p99Ms()).isBetween(40.0, 60.0);
    }

    @Test
    void canaryAtFiftyPercentErrorsIsAbortedOnTheFastPathWithinTwoSeconds() {
        for (int seed = 0; seed < 100; seed++) {
            Rollout r = new Rollout(seed, Release.of(20, 0.5), Release.of(20, 0), DEFAULTS);
            Verdict v = r.run(2);
            assertThat(v.cause()).as("seed %d: %s", seed, v.reason()).isEqualTo(Cause.ABORT_ERROR_RATE);
            assertThat(Duration.between(START, v.at())).isLessThanOrEqualTo(Duration.ofSeconds(2));
            assertThat(v.canary().requests()).isLessThan(DEFAULTS.minRequests());
        }
    }

    @Test
    void nothingIsDecidedBeforeMinRequestsOnEachSide() {
        // 10% errors is bad but under the abort rate; 5 requests a second reach 50 after 10 seconds
        Judge judge = new Judge(DEFAULTS, new VirtualClock());
        for (int second = 1; second < 10; second++) {
            Verdict v = judge.look(window(5L * second, second / 2), window(100L * second, 0));
            assertThat(v.verdict()).as("second %d: %s", second, v.reason()).isEqualTo(Outcome.NOT_YET);
            assertThat(v.cause()).isEqualTo(Cause.TOO_FEW_REQUESTS);
            assertThat(v.reason()).isEqualTo("waiting for 50 requests on each side (deploy.analysis.minRequests): canary has "
                    + 5 * second + ", stable " + 100 * second);
        }
        Verdict v = judge.look(window(50, 5), window(1000, 0));
        assertThat(v.cause()).as(v.reason()).isEqualTo(Cause.ERROR_RATE);
    }

    @Test
    void theFastPathWaitsForTwentyRequests() {
        Judge judge = new Judge(DEFAULTS, new VirtualClock());
        assertThat(judge.look(window(19, 5), window(19, 0)).verdict()).isEqualTo(Outcome.NOT_YET);
        Verdict v = judge.look(window(20, 5), window(20, 0));
        assertThat(v.cause()).isEqualTo(Cause.ABORT_ERROR_RATE);
        assertThat(v.reason()).isEqualTo("canary error rate 25% (5 of 20) is above deploy.analysis.abortErrorRate 20%");
    }

    @Test
    void aFailureIsFinalAndCarriesTheNumbersBehindIt() {
        Rollout r = new Rollout(3, Release.of(20, 0.05), Release.of(180, 0), DEFAULTS);
        Verdict failed = r.run(60);
        assertThat(failed.verdict()).isEqualTo(Outcome.FAIL);
        assertThat(failed.errorEvidence()).isGreaterThanOrEqualTo(Judge.FAIL_EVIDENCE);
        assertThat(failed.canary().errors()).isPositive();
        assertThat(failed.stable().requests()).isEqualTo(9 * failed.canary().requests());
        assertThat(failed.reason()).startsWith("canary error rate ").contains(" is above 1% = max(maxErrorRate 1%, stable 0% (0 of ")
                .contains("fails at 200");
        for (int i = 0; i < 5; i++) {
            assertThat(r.second()).isSameAs(failed);
        }
    }

    @Test
    void aCanaryAboveTheLimitButWithinChanceIsNotYetPassed() {
        Judge judge = new Judge(DEFAULTS, new VirtualClock());
        // 2 errors in 60 (3.3%) against 1 in 60: above 1%, but nothing chance could not do
        Verdict v = judge.look(window(60, 2), window(60, 1));
        assertThat(v.verdict()).isEqualTo(Outcome.NOT_YET);
        assertThat(v.cause()).isEqualTo(Cause.NOT_YET_SIGNIFICANT);
        assertThat(v.reason()).contains("but not yet beyond chance");
    }

    @Test
    void evidenceCarriesOverToAJudgeOverNewCounters() {
        Judge before = new Judge(DEFAULTS, new VirtualClock());
        Verdict last = null;
        for (int second = 1; second <= 5; second++) {
            last = before.look(window(20L * second, second / 2), window(180L * second, 0));
        }
        assertThat(last.verdict()).isEqualTo(Outcome.NOT_YET);
        double learnt = last.errorEvidence();
        assertThat(learnt).isGreaterThan(1).isLessThan(Judge.FAIL_EVIDENCE);

        VirtualClock clock = new VirtualClock();
        Judge after = Judge.resuming(DEFAULTS, clock, before.evidence(), clock.instant());
        Verdict first = after.look(window(20, 0), window(180, 0));
        assertThat(first.errorEvidence()).isEqualTo(learnt);
        assertThat(first.canary().requests()).isEqualTo(20);
        Verdict v = after.look(window(60, 2), window(540, 0));
        assertThat(v.cause()).as(v.reason()).isEqualTo(Cause.ERROR_RATE);
        assertThat(new Judge(DEFAULTS, new VirtualClock()).look(window(60, 2), window(540, 0)).verdict())
                .as("the same traffic without the evidence from before the restart").isEqualTo(Outcome.NOT_YET);
    }

    @Test
    void sameWindowsGiveTheSameVerdicts() {
        List<Verdict> first = verdicts(11);
        assertThat(verdicts(11)).isEqualTo(first);
        assertThat(first).extracting(Verdict::verdict).contains(Outcome.NOT_YET, Outcome.PASS);
    }

    private static List<Verdict> verdicts(long seed) {
        Rollout r = new Rollout(seed, Release.of(20, 0.01), Release.of(20, 0.01), DEFAULTS);
        List<Verdict> out = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            out.add(r.second());
        }
        return out;
    }

    private static Window window(long requests, long errors) {
        return new Window(requests, errors, Latencies.NONE);
    }
}

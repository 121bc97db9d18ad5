package dev.switchback.deploy.analysis;

import dev.switchback.deploy.analysis.Verdict.Cause;
import dev.switchback.deploy.analysis.Verdict.Outcome;
import dev.switchback.deploy.analysis.Verdict.Side;

import java.time.Clock;

/**
 * Judges one rollout step: a canary against the stable release serving at the same time, so that load and time of
 * day cancel out. Look as often as you like (at least every second) with both sides' counters since the step began.
 *
 * <p>The canary fails on errors when its error rate is above {@code max(maxErrorRate, stable rate + 0.5 points)}, on
 * latency when its p99 is above {@code max(maxP99, 1.2 × stable p99)}; in both cases only once a sequential test
 * ({@link SequentialComparison}) has shown it does worse than stable beyond chance, so that a canary as good as stable
 * fails with probability at most {@link #FALSE_FAILURE} over the whole step however often it is looked at. At
 * an error rate above {@code abortErrorRate} over at least {@link AnalysisSettings#ABORT_MIN_REQUESTS} requests it fails at once. Nothing
 * else is decided before both sides served {@code minRequests}. A failure is final: later looks repeat it.
 *
 * <p>Deterministic: the same windows in the same order give the same verdicts. One judge per step, one thread.
 */
public final class Judge {
    /** The bound on failing a canary that is as good as stable, split evenly between the error and latency tests. */
    public static final double FALSE_FAILURE = 0.01;
    /** The evidence at which a test calls the canary worse: Ville's inequality makes each test's false alarms ≤ 0.5%. */
    public static final double FAIL_EVIDENCE = 2 / FALSE_FAILURE;
    /** How far above stable's error rate the canary may be, as a fraction. */
    static final double ERROR_RATE_MARGIN = 0.005;
    /** How many times stable's p99 the canary's may be. */
    static final double P99_FACTOR = 1.2;

    private final AnalysisSettings settings;
    private final Clock clock;
    private final SequentialComparison errors;
    private final SequentialComparison slow;
    private Window lastCanary = Window.EMPTY;
    private Window lastStable = Window.EMPTY;
    /** Requests above this bucket count as slow in the next stretch: fixed before the stretch is seen, as the test needs. */
    private int slowAbove;
    private Verdict failure;

    /**
     * What the tests have learnt so far, to carry a step's analysis over a daemon restart.
     *
     * @param errors the error test's log likelihood ratio per alternative
     * @param slow   the latency test's
     */
    public record Evidence(double[] errors, double[] slow) {
        public Evidence {
            errors = errors.clone();
            slow = slow.clone();
        }

        @Override
        public double[] errors() {
            return errors.clone();
        }

        @Override
        public double[] slow() {
            return slow.clone();
        }
    }

    public Judge(AnalysisSettings settings, Clock clock) {
        this(settings, clock, new SequentialComparison(), new SequentialComparison());
    }

    private Judge(AnalysisSettings settings, Clock clock, SequentialComparison errors, SequentialComparison slow) {
        this.settings = settings;
        this.clock = clock;
        this.errors = errors;
        this.slow = slow;
        this.slowAbove = Latencies.bucket(settings.maxP99().toNanos() / 1000);
    }

    /**
     * A judge that goes on with {@code evidence} from an earlier one (see {@link #evidence()}) over new counters that
     * start from zero, as a restarted router's do. The evidence carries over; the limits and {@code minRequests} apply
     * to what the new counters see.
     */
    public static Judge resuming(AnalysisSettings settings, Clock clock, Evidence evidence) {
        return new Judge(settings, clock, new SequentialComparison(evidence.errors()), new SequentialComparison(evidence.slow()));
    }

    public Evidence evidence() {
        return new Evidence(errors.state(), slow.state());
    }

    /**
     * @param canary everything the canary served since the step began
     * @param stable everything the stable release served over the same time
     */
    public Verdict look(Window canary, Window stable) {
        if (failure != null) {
            return failure;
        }
        Window c = canary.minus(lastCanary);
        Window s = stable.minus(lastStable);
        errors.add(c.requests(), c.errors(), s.requests(), s.errors());
        slow.add(c.latencies().count(), c.latencies().above(slowAbove), s.latencies().count(), s.latencies().above(slowAbove));
        lastCanary = canary;
        lastStable = stable;
        double latencyLimitMicros = Math.max(settings.maxP99().toNanos() / 1000.0, P99_FACTOR * stable.latencies().quantileMicros(0.99));
        slowAbove = Latencies.bucket((long) latencyLimitMicros);
        Verdict v = decide(canary, stable, latencyLimitMicros / 1000);
        if (v.failed()) {
            failure = v;
        }
        return v;
    }

    private Verdict decide(Window canary, Window stable, double latencyLimitMs) {
        double canaryRate = canary.errorRate();
        if (canary.requests() >= AnalysisSettings.ABORT_MIN_REQUESTS && canaryRate > settings.abortErrorRate()) {
            return verdict(Outcome.FAIL, Cause.ABORT_ERROR_RATE, canary, stable, "canary error rate " + rate(canary)
                    + " is above deploy.analysis.abortErrorRate " + AnalysisSettings.percent(settings.abortErrorRate()));
        }
        int min = settings.minRequests();
        if (canary.requests() < min || stable.requests() < min) {
            return verdict(Outcome.NOT_YET, Cause.TOO_FEW_REQUESTS, canary, stable, "waiting for " + min
                    + " requests on each side (deploy.analysis.minRequests): canary has " + canary.requests()
                    + ", stable " + stable.requests());
        }
        double errorLimit = Math.max(settings.maxErrorRate(), stable.errorRate() + ERROR_RATE_MARGIN);
        String errorText = "canary error rate " + rate(canary) + (canaryRate > errorLimit ? " is above " : " is within ")
                + AnalysisSettings.percent(errorLimit) + " = max(maxErrorRate " + AnalysisSettings.percent(settings.maxErrorRate())
                + ", stable " + rate(stable) + " + 0.5 points)";
        double canaryP99 = canary.latencies().p99Millis();
        String latencyText = "canary p99 " + ms(canaryP99) + (canaryP99 > latencyLimitMs ? " is above " : " is within ")
                + ms(latencyLimitMs) + " = max(maxP99 " + ms(settings.maxP99().toNanos() / 1e6) + ", 1.2 × stable p99 "
                + ms(stable.latencies().p99Millis()) + ")";
        boolean errorsAbove = canaryRate > errorLimit;
        boolean slowerAbove = canaryP99 > latencyLimitMs;
        if (errorsAbove && errors.evidence() >= FAIL_EVIDENCE) {
            return verdict(Outcome.FAIL, Cause.ERROR_RATE, canary, stable, errorText + "; " + evidence("errors", errors));
        }
        if (slowerAbove && slow.evidence() >= FAIL_EVIDENCE) {
            return verdict(Outcome.FAIL, Cause.LATENCY, canary, stable, latencyText + "; " + evidence("slow requests", slow));
        }
        if (errorsAbove || slowerAbove) {
            return verdict(Outcome.NOT_YET, Cause.NOT_YET_SIGNIFICANT, canary, stable, (errorsAbove ? errorText : latencyText)
                    + ", but not yet beyond chance; " + evidence(errorsAbove ? "errors" : "slow requests", errorsAbove ? errors : slow));
        }
        return verdict(Outcome.PASS, Cause.WITHIN_LIMITS, canary, stable, errorText + "; " + latencyText);
    }

    private Verdict verdict(Outcome outcome, Cause cause, Window canary, Window stable, String reason) {
        return new Verdict(clock.instant(), outcome, cause, reason, Side.of(canary), Side.of(stable), errors.evidence(),
                slow.evidence());
    }

    private static String evidence(String what, SequentialComparison test) {
        return "evidence that the canary has more " + what + " than stable: "
                + Figures.of(test.evidence(), test.evidence() < 10 ? 2 : 0) + " (fails at " + (long) FAIL_EVIDENCE + ")";
    }

    private static String rate(Window w) {
        return AnalysisSettings.percent(w.errorRate()) + " (" + w.errors() + " of " + w.requests() + ")";
    }

    private static String ms(double millis) {
        return Figures.of(millis, 1) + " ms";
    }
}

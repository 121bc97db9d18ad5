package dev.switchback.deploy.analysis;

import dev.switchback.deploy.analysis.Verdict.Cause;
import dev.switchback.deploy.analysis.Verdict.Outcome;
import dev.switchback.deploy.analysis.Verdict.Side;

import java.time.Clock;
import java.time.Instant;

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
 * <p>Until {@link #latencyFrom} (the end of {@code deploy.analysis.warmup} after the new release first took traffic)
 * only errors are judged: a freshly started process answers slowly while it loads and compiles its hot paths, and that
 * says nothing about the release. Latency is then judged over what both sides served after the warm-up, and nothing
 * passes before each side served {@code minRequests} of it. Which stretches the latency test sees depends on the clock
 * alone, never on the data, so its bound on false failures holds.
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
    /** Latency is judged only from this instant on; see {@link #warmUntil}. */
    private Instant latencyFrom;
    /** When the stretch the next look adds began: the last look, or the judge's start. */
    private Instant stretchFrom;
    /** What each side had served at the last look of the warm-up: latency is judged on what came after. */
    private Window warmCanary = Window.EMPTY;
    private Window warmStable = Window.EMPTY;
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

    /** A judge that judges latency from the first look on. */
    public Judge(AnalysisSettings settings, Clock clock) {
        this(settings, clock, clock.instant());
    }

    /** A judge that judges only errors before {@code latencyFrom}. */
    public Judge(AnalysisSettings settings, Clock clock, Instant latencyFrom) {
        this(settings, clock, new SequentialComparison(), new SequentialComparison(), latencyFrom);
    }

    private Judge(AnalysisSettings settings, Clock clock, SequentialComparison errors, SequentialComparison slow, Instant latencyFrom) {
        this.settings = settings;
        this.clock = clock;
        this.errors = errors;
        this.slow = slow;
        this.latencyFrom = latencyFrom;
        this.stretchFrom = clock.instant();
        this.slowAbove = Latencies.bucket(settings.maxP99().toNanos() / 1000);
    }

    /**
     * A judge that goes on with {@code evidence} from an earlier one (see {@link #evidence()}) over new counters that
     * start from zero, as a restarted router's do. The evidence carries over; the limits and {@code minRequests} apply
     * to what the new counters see.
     */
    public static Judge resuming(AnalysisSettings settings, Clock clock, Evidence evidence, Instant latencyFrom) {
        return new Judge(settings, clock, new SequentialComparison(evidence.errors()), new SequentialComparison(evidence.slow()),
                latencyFrom);
    }

    /**
     * New processes of the release take traffic (a rolling update's next batch): their latency is not judged before
     * {@code until}, and after it only over what both sides serve from then on. Never shortens a warm-up under way.
     */
    public void warmUntil(Instant until) {
        if (until.isAfter(latencyFrom)) {
            latencyFrom = until;
        }
    }

    /** When latency starts to be judged. */
    public Instant latencyFrom() {
        return latencyFrom;
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
        // a stretch that began before the warm-up's end is warm-up traffic, even when the look comes after it
        Instant now = clock.instant();
        boolean warming = stretchFrom.isBefore(latencyFrom);
        stretchFrom = now;
        Window c = canary.minus(lastCanary);
        Window s = stable.minus(lastStable);
        errors.add(c.requests(), c.errors(), s.requests(), s.errors());
        if (warming) {
            warmCanary = canary;
            warmStable = stable;
        } else {
            slow.add(c.latencies().count(), c.latencies().above(slowAbove), s.latencies().count(), s.latencies().above(slowAbove));
        }
        lastCanary = canary;
        lastStable = stable;
        Window timedCanary = canary.minus(warmCanary);
        Window timedStable = stable.minus(warmStable);
        double latencyLimitMicros = Math.max(settings.maxP99().toNanos() / 1000.0,
                P99_FACTOR * timedStable.latencies().quantileMicros(0.99));
        slowAbove = Latencies.bucket((long) latencyLimitMicros);
        Verdict v = decide(canary, stable, warming ? null : timedCanary, timedStable, latencyLimitMicros / 1000);
        if (v.failed()) {
            failure = v;
        }
        return v;
    }

    /**
     * @param timedCanary what the canary served since the warm-up ended, null while it lasts
     * @param timedStable what stable served over the same time
     */
    private Verdict decide(Window canary, Window stable, Window timedCanary, Window timedStable, double latencyLimitMs) {
        double canaryRate = canary.errorRate();
        // the p99s shown: while latency is not judged yet, over everything served (a 0 would read as 0 ms)
        Window shownCanary = timedCanary == null ? canary : timedCanary;
        Window shownStable = timedCanary == null ? stable : timedStable;
        if (canary.requests() >= AnalysisSettings.ABORT_MIN_REQUESTS && canaryRate > settings.abortErrorRate()) {
            return verdict(Outcome.FAIL, Cause.ABORT_ERROR_RATE, canary, stable, shownCanary, shownStable, "canary error rate "
                    + rate(canary) + " is above deploy.analysis.abortErrorRate " + AnalysisSettings.percent(settings.abortErrorRate()));
        }
        int min = settings.minRequests();
        if (canary.requests() < min || stable.requests() < min) {
            return verdict(Outcome.NOT_YET, Cause.TOO_FEW_REQUESTS, canary, stable, shownCanary, shownStable, "waiting for " + min
                    + " requests on each side (deploy.analysis.minRequests): canary has " + canary.requests()
                    + ", stable " + stable.requests());
        }
        double errorLimit = Math.max(settings.maxErrorRate(), stable.errorRate() + ERROR_RATE_MARGIN);
        String errorText = "canary error rate " + rate(canary) + (canaryRate > errorLimit ? " is above " : " is within ")
                + AnalysisSettings.percent(errorLimit) + " = max(maxErrorRate " + AnalysisSettings.percent(settings.maxErrorRate())
                + ", stable " + rate(stable) + " + 0.5 points)";
        boolean errorsAbove = canaryRate > errorLimit;
        if (errorsAbove && errors.evidence() >= FAIL_EVIDENCE) {
            return verdict(Outcome.FAIL, Cause.ERROR_RATE, canary, stable, shownCanary, shownStable, errorText + "; "
                    + evidence("errors", errors));
        }
        if (timedCanary == null) {
            String warming = "; warming up: latency is judged from " + latencyFrom + " on (deploy.analysis.warmup "
                    + duration(settings.warmup()) + ")";
            return errorsAbove
                    ? verdict(Outcome.NOT_YET, Cause.NOT_YET_SIGNIFICANT, canary, stable, shownCanary, shownStable, errorText
                    + ", but not yet beyond chance; " + evidence("errors", errors) + warming)
                    : verdict(Outcome.NOT_YET, Cause.WARMING_UP, canary, stable, shownCanary, shownStable, errorText + warming);
        }
        if (timedCanary.requests() < min || timedStable.requests() < min) {
            return verdict(Outcome.NOT_YET, Cause.TOO_FEW_REQUESTS, canary, stable, timedCanary, timedStable, "waiting for " + min
                    + " requests on each side after the warm-up (deploy.analysis.minRequests) to judge latency: canary has "
                    + timedCanary.requests() + ", stable " + timedStable.requests() + "; " + errorText);
        }
        double canaryP99 = timedCanary.latencies().p99Millis();
        String latencyText = "canary p99 " + ms(canaryP99) + (canaryP99 > latencyLimitMs ? " is above " : " is within ")
                + ms(latencyLimitMs) + " = max(maxP99 " + ms(settings.maxP99().toNanos() / 1e6) + ", 1.2 × stable p99 "
                + ms(timedStable.latencies().p99Millis()) + ")";
        boolean slowerAbove = canaryP99 > latencyLimitMs;
        if (slowerAbove && slow.evidence() >= FAIL_EVIDENCE) {
            return verdict(Outcome.FAIL, Cause.LATENCY, canary, stable, timedCanary, timedStable, latencyText + "; "
                    + evidence("slow requests", slow));
        }
        if (errorsAbove || slowerAbove) {
            return verdict(Outcome.NOT_YET, Cause.NOT_YET_SIGNIFICANT, canary, stable, timedCanary, timedStable,
                    (errorsAbove ? errorText : latencyText) + ", but not yet beyond chance; "
                            + evidence(errorsAbove ? "errors" : "slow requests", errorsAbove ? errors : slow));
        }
        return verdict(Outcome.PASS, Cause.WITHIN_LIMITS, canary, stable, timedCanary, timedStable, errorText + "; " + latencyText);
    }

    /** Requests and errors over the whole step; p99 over what latency is judged on. */
    private Verdict verdict(Outcome outcome, Cause cause, Window canary, Window stable, Window timedCanary, Window timedStable,
                            String reason) {
        return new Verdict(clock.instant(), outcome, cause, reason, Side.of(canary, timedCanary), Side.of(stable, timedStable),
                errors.evidence(), slow.evidence());
    }

    private static String evidence(String what, SequentialComparison test) {
        return "evidence that the canary has more " + what + " than stable: "
                + Figures.of(test.evidence(), test.evidence() < 10 ? 2 : 0) + " (fails at " + (long) FAIL_EVIDENCE + ")";
    }

    private static String rate(Window w) {
        return AnalysisSettings.percent(w.errorRate()) + " (" + w.errors() + " of " + w.requests() + ")";
    }

    private static String duration(java.time.Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }

    private static String ms(double millis) {
        return Figures.of(millis, 1) + " ms";
    }
}

package dev.switchback.deploy.analysis;

import java.time.Duration;
import java.util.SplittableRandom;

/**
 * Seeded random traffic to a canary and a stable release, looked at by a judge once a (virtual) second, as the
 * rollout engine does.
 */
final class Rollout {
    /** One release's behaviour: requests per second, share of 5xx, and latency as a log-normal (median, spread). */
    record Release(int perSecond, double errorRate, double medianMs, double sigma, double addedMs) {
        static Release of(int perSecond, double errorRate) {
            return new Release(perSecond, errorRate, P99_50MS_MEDIAN, SIGMA, 0);
        }

        Release slowerBy(double ms) {
            return new Release(perSecond, errorRate, medianMs, sigma, addedMs + ms);
        }

        Release withMedian(double ms) {
            return new Release(perSecond, errorRate, ms, sigma, addedMs);
        }

        long latencyNanos(SplittableRandom random) {
            return (long) ((medianMs * Math.exp(sigma * gaussian(random)) + addedMs) * 1e6);
        }
    }

    static final double SIGMA = 0.5;
    /** With a spread of 0.5, this median gives a p99 of about 50 ms. */
    static final double P99_50MS_MEDIAN = 50 / Math.exp(2.326 * SIGMA);

    private final SplittableRandom random;
    private final Release canaryRelease;
    /** How the canary behaves in its first {@link #coldSeconds} (a process still compiling its hot paths). */
    private final Release coldCanary;
    private final int coldSeconds;
    private int second;
    private final Release stableRelease;
    private final TrafficCounter canary = new TrafficCounter();
    private final TrafficCounter stable = new TrafficCounter();
    final VirtualClock clock = new VirtualClock();
    final Judge judge;

    /** A judge that judges latency from the start, as with {@code deploy.analysis.warmup: 0s}. */
    Rollout(long seed, Release canaryRelease, Release stableRelease, AnalysisSettings settings) {
        this.random = new SplittableRandom(seed);
        this.canaryRelease = canaryRelease;
        this.coldCanary = canaryRelease;
        this.coldSeconds = 0;
        this.stableRelease = stableRelease;
        this.judge = new Judge(settings, clock);
    }

    /** A canary that behaves as {@code cold} for its first {@code coldSeconds}, judged after {@code settings.warmup()}. */
    Rollout(long seed, Release cold, int coldSeconds, Release canaryRelease, Release stableRelease, AnalysisSettings settings) {
        this.random = new SplittableRandom(seed);
        this.canaryRelease = canaryRelease;
        this.coldCanary = cold;
        this.coldSeconds = coldSeconds;
        this.stableRelease = stableRelease;
        this.judge = new Judge(settings, clock, clock.instant().plus(settings.warmup()));
    }

    /** One second of traffic, then a look. */
    Verdict second() {
        serve(second++ < coldSeconds ? coldCanary : canaryRelease, canary);
        serve(stableRelease, stable);
        clock.advance(Duration.ofSeconds(1));
        return judge.look(canary.window(), stable.window());
    }

    /** The first failing verdict within {@code seconds}, or the last verdict. */
    Verdict run(int seconds) {
        Verdict v = null;
        for (int i = 0; i < seconds; i++) {
            v = second();
            if (v.failed()) {
                return v;
            }
        }
        return v;
    }

    private void serve(Release release, TrafficCounter counter) {
        for (int i = 0; i < release.perSecond(); i++) {
            counter.record(random.nextDouble() < release.errorRate(), release.latencyNanos(random));
        }
    }

    private static double gaussian(SplittableRandom random) {
        // Box-Muller; SplittableRandom has no nextGaussian on Java 17
        double u = 1 - random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble());
    }
}

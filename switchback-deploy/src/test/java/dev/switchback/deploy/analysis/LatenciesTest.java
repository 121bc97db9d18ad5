package dev.switchback.deploy.analysis;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LatenciesTest {

    @Test
    void eachBucketStartsWhereTheLastEndsAndIsAtMostOneSixteenthWide() {
        for (int i = 0; i < Latencies.BUCKETS; i++) {
            long low = Latencies.lowerMicros(i);
            assertThat(Latencies.bucket(low)).as("bucket of %d µs", low).isEqualTo(i);
            if (i > 0) {
                assertThat(Latencies.bucket(low - 1)).isEqualTo(i - 1);
            }
            if (i + 1 < Latencies.BUCKETS && i >= 16) {
                assertThat(Latencies.lowerMicros(i + 1) - low).isLessThanOrEqualTo(low / 16);
            }
        }
        assertThat(Latencies.bucket(-5)).isZero();
        assertThat(Latencies.bucket(Long.MAX_VALUE)).isEqualTo(Latencies.BUCKETS - 1);
    }

    @Test
    void theP99IsWithinABucketOfTheExactOne() {
        TrafficCounter counter = new TrafficCounter();
        SplittableRandom random = new SplittableRandom(5);
        long[] micros = new long[10_000];
        for (int i = 0; i < micros.length; i++) {
            micros[i] = 2_000 + random.nextLong(80_000);
            counter.record(false, micros[i] * 1000);
        }
        java.util.Arrays.sort(micros);
        double exact = micros[(int) (0.99 * micros.length) - 1] / 1000.0;
        assertThat(counter.window().latencies().p99Millis()).isCloseTo(exact, org.assertj.core.data.Percentage.withPercentage(6.25));
        assertThat(counter.window().latencies().count()).isEqualTo(10_000);
    }

    @Test
    void twoSnapshotsSubtractIntoWhatHappenedBetween() {
        TrafficCounter counter = new TrafficCounter();
        counter.record(false, 40_000_000);
        counter.record(true, 41_000_000);
        Window first = counter.window();
        counter.record(false, 5_000_000);
        counter.record(true, 900_000_000);
        Window second = counter.window();
        Window between = second.minus(first);
        assertThat(between.requests()).isEqualTo(2);
        assertThat(between.errors()).isEqualTo(1);
        assertThat(between.latencies().count()).isEqualTo(2);
        assertThat(between.latencies().above(Latencies.bucket(100_000))).isEqualTo(1);
        assertThatThrownBy(() -> first.minus(second)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("counters went backwards, from 4 requests and 2 errors to 2 and 1");
    }

    @Test
    void theTestLearnsNothingFromASideWithoutTrafficAndMuchFromErrorsOnOneSideOnly() {
        SequentialComparison test = new SequentialComparison();
        test.add(0, 0, 100, 5);
        test.add(100, 5, 0, 0);
        assertThat(test.evidence()).isEqualTo(1.0);
        for (int i = 0; i < 10; i++) {
            test.add(20, 1, 180, 0);
        }
        assertThat(test.evidence()).isGreaterThan(Judge.FAIL_EVIDENCE);
        SequentialComparison better = new SequentialComparison();
        for (int i = 0; i < 10; i++) {
            better.add(20, 0, 20, 1);
        }
        assertThat(better.evidence()).isLessThan(1.0);
    }
}

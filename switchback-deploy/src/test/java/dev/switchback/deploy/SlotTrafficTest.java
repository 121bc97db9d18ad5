package dev.switchback.deploy;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class SlotTrafficTest {
    @Test
    void everyLatencyFallsInABucketWhoseBoundIsWithinNinePercentAbove() {
        Random random = new Random(1);
        for (int i = 0; i < 100_000; i++) {
            long nanos = 1024 + (long) Math.exp(random.nextDouble() * Math.log(60e9));
            int b = SlotTraffic.bucket(nanos);
            assertThat(SlotTraffic.upperNanos(b)).as("%d ns", nanos).isGreaterThan(nanos);
            assertThat(SlotTraffic.upperNanos(b)).as("%d ns", nanos).isLessThanOrEqualTo((long) (nanos * 1.126) + 1);
            assertThat(b == 0 || SlotTraffic.upperNanos(b - 1) <= nanos).as("%d ns lower bound", nanos).isTrue();
        }
        assertThat(SlotTraffic.bucket(0)).isZero();
        assertThat(SlotTraffic.bucket(Long.MAX_VALUE)).isEqualTo(SlotTraffic.BUCKETS - 1);
    }

    @Test
    void aWindowIsTheDifferenceOfTwoReadingsAndItsP99IsTheBucketOfThe99thRequest() {
        long[] before = new long[SlotTraffic.BUCKETS];
        before[SlotTraffic.bucket(5_000_000)] = 10;
        long[] after = before.clone();
        after[SlotTraffic.bucket(2_000_000)] += 99;
        after[SlotTraffic.bucket(300_000_000)] += 1;
        SlotTraffic window = new SlotTraffic(120, 5, after).minus(new SlotTraffic(20, 2, before));
        assertThat(window.requests()).isEqualTo(100);
        assertThat(window.errorRate()).isEqualTo(0.03);
        assertThat(window.p99Millis()).isBetween(2.0, 2.2);
        assertThat(window.percentileNanos(1.0) / 1e6).isBetween(300.0, 330.0);
        assertThat(SlotTraffic.NONE.p99Millis()).isZero();
    }
}

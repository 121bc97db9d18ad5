package dev.switchback.deploy;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class RestartBackoffTest {
    @Test
    void doublesFromOneSecondUpToAMinuteAndStaysThere() {
        assertThat(IntStream.range(0, 9).mapToObj(RestartBackoff::delay).map(Duration::toSeconds))
                .containsExactly(1L, 2L, 4L, 8L, 16L, 32L, 60L, 60L, 60L);
        assertThat(RestartBackoff.delay(Integer.MAX_VALUE)).isEqualTo(Duration.ofSeconds(60));
    }
}

package dev.switchback.deploy.rollout;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RollingSettingsTest {
    @Test
    void theDefaultsAndEveryBadValueNamedByItsPath() {
        List<String> problems = new ArrayList<>();
        assertThat(RollingSettings.parse("1", "0", "0s", "10m", problems)).isEqualTo(RollingSettings.DEFAULTS);
        assertThat(RollingSettings.parse("2", "1", "5s", "2m", problems))
                .isEqualTo(new RollingSettings(2, 1, Duration.ofSeconds(5), Duration.ofMinutes(2)));
        assertThat(problems).isEmpty();

        RollingSettings.parse("-1", "many", "soon", "10ms", problems);
        assertThat(problems).anySatisfy(p -> assertThat(p).contains("deploy.rolling.maxSurge must be a whole number"))
                .anySatisfy(p -> assertThat(p).contains("deploy.rolling.maxUnavailable must be a whole number of at least 0, was 'many'"))
                .anySatisfy(p -> assertThat(p).contains("deploy.rolling.wait"))
                .anySatisfy(p -> assertThat(p).contains("deploy.rolling.progressDeadline cannot be less than 1s"))
                .noneSatisfy(p -> assertThat(p).contains("cannot both be 0"));
        problems.clear();
        RollingSettings.parse("0", "0", "0s", "10m", problems);
        assertThat(problems).containsExactly("deploy.rolling.maxSurge and deploy.rolling.maxUnavailable cannot both be 0: "
                + "nothing could be replaced");
    }
}

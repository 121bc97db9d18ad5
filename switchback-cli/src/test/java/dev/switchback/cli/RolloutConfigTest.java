package dev.switchback.cli;

import dev.switchback.deploy.DeployConfig;
import dev.switchback.deploy.DeploySetting;
import dev.switchback.deploy.Stickiness;
import dev.switchback.deploy.rollout.RolloutSettings;
import dev.switchback.deploy.rollout.Strategy;
import dev.switchback.migration.Settings;
import dev.switchback.migration.SwitchbackException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RolloutConfigTest {
    @TempDir
    Path dir;

    private DeployConfig load(String yaml, Map<String, String> env) throws Exception {
        Path file = Files.writeString(dir.resolve("switchback.yml"), yaml);
        return DeployConfig.from(Settings.resolve(DeploySetting.class,
                ConfigFile.select(DeploySetting.class, ConfigFile.values(file, Map.of())), env, Map.of()), dir);
    }

    @Test
    void theDefaultsAreBlueGreenWithAFiveMinuteWatchAndTheUsualCanarySteps() throws Exception {
        assertThat(load("deploy: {}\n", Map.of()).rollout()).isEqualTo(RolloutSettings.DEFAULTS);
    }

    @Test
    void theStrategyCanarySectionAndWatchAreRead() throws Exception {
        RolloutSettings r = load("""
                deploy:
                  strategy: canary
                  canary:
                    steps: [10, pause, 50]
                    stepDuration: 30s
                    progressDeadline: 5m
                    sticky: header:X-User-Id
                  bluegreen:
                    watch: 0
                """, Map.of()).rollout();
        assertThat(r).isEqualTo(new RolloutSettings(Strategy.CANARY, List.of(10, RolloutSettings.PAUSE, 50, 100),
                Duration.ofSeconds(30), Duration.ofMinutes(5), Stickiness.header("X-User-Id"), Duration.ZERO, null,
                dev.switchback.deploy.rollout.RollingSettings.DEFAULTS));
    }

    @Test
    void stepsFromTheEnvironmentAreCommaSeparated() throws Exception {
        assertThat(load("deploy: {}\n", Map.of("SWITCHBACK_DEPLOY_CANARY_STEPS", "5,20,100")).rollout().steps())
                .containsExactly(5, 20, 100);
    }

    @Test
    void badValuesAreReportedTogetherByTheirPath() {
        assertThatThrownBy(() -> load("""
                deploy:
                  strategy: gradual
                  canary:
                    steps: [50, 20]
                    stepDuration: 20m
                  rolling:
                    maxSurge: two
                """, Map.of())).isInstanceOf(SwitchbackException.class)
                .hasMessageContaining("deploy.strategy 'gradual' is not one of bluegreen, canary, rolling")
                .hasMessageContaining("deploy.rolling.maxSurge must be a whole number of at least 0, was 'two'")
                .hasMessageContaining("deploy.canary.steps: 20 is not a weight above 50")
                .hasMessageContaining("deploy.canary.progressDeadline (10m) cannot be shorter than deploy.canary.stepDuration (20m)");
    }
}

package dev.switchback.cli;

import dev.switchback.deploy.DeployConfig;
import dev.switchback.deploy.DeploySetting;
import dev.switchback.deploy.analysis.AnalysisSettings;
import dev.switchback.migration.Settings;
import dev.switchback.migration.SwitchbackException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AnalysisConfigTest {
    @TempDir
    Path dir;

    private DeployConfig load(String yaml) throws Exception {
        Path file = Files.writeString(dir.resolve("switchback.yml"), yaml);
        return DeployConfig.from(Settings.resolve(DeploySetting.class,
                ConfigFile.select(DeploySetting.class, ConfigFile.values(file, Map.of())), Map.of(), Map.of()), dir);
    }

    @Test
    void theAnalysisSectionOfSwitchbackYmlIsRead() throws Exception {
        DeployConfig c = load("""
                deploy:
                  analysis:
                    maxErrorRate: 0.5%
                    maxP99: 250ms
                    minRequests: 100
                    abortErrorRate: 30%
                    interval: 30s
                """);
        assertThat(c.analysis()).isEqualTo(new AnalysisSettings(0.005, Duration.ofMillis(250), 100, 0.3, Duration.ofSeconds(30), Duration.ofSeconds(10)));
    }

    @Test
    void aBareNumberForARateIsRefusedWithTheFix() {
        assertThatThrownBy(() -> load("""
                deploy:
                  analysis:
                    maxErrorRate: 0.01
                """)).isInstanceOf(SwitchbackException.class)
                .hasMessageContaining("deploy.analysis.maxErrorRate '0.01' is not a percentage from 0% to 100%; use e.g. 1% or 0.5%");
    }
}

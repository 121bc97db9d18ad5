package dev.switchback.deploy.analysis;

import dev.switchback.deploy.DeployConfig;
import dev.switchback.deploy.DeploySetting;
import dev.switchback.migration.Settings;
import dev.switchback.migration.SwitchbackException;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AnalysisSettingsTest {
    private static final Path BASE = Path.of("/srv/shop");

    @Test
    void theDefaultsAreTheIssuedOnes() {
        AnalysisSettings a = DeployConfig.from(Map.of(), BASE).analysis();
        assertThat(a).isEqualTo(AnalysisSettings.DEFAULTS);
        assertThat(a.maxErrorRate()).isEqualTo(0.01);
        assertThat(a.maxP99()).isEqualTo(Duration.ofMillis(500));
        assertThat(a.minRequests()).isEqualTo(50);
        assertThat(a.abortErrorRate()).isEqualTo(0.20);
        assertThat(a.interval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(a.warmup()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void settingsAreReadFromTheFileAndTheEnvironment() {
        Map<DeploySetting, String> resolved = Settings.resolve(DeploySetting.class,
                Map.of(DeploySetting.ANALYSIS_MAX_ERROR_RATE, "0.5%", DeploySetting.ANALYSIS_MAX_P99, "250ms"),
                Map.of("SWITCHBACK_DEPLOY_ANALYSIS_MIN_REQUESTS", "200", "SWITCHBACK_DEPLOY_ANALYSIS_ABORT_ERROR_RATE", "30 %",
                        "SWITCHBACK_DEPLOY_ANALYSIS_INTERVAL", "1m",
                        "SWITCHBACK_DEPLOY_ANALYSIS_WARMUP", "0s"), Map.of());
        AnalysisSettings a = DeployConfig.from(resolved, BASE).analysis();
        assertThat(a).isEqualTo(new AnalysisSettings(0.005, Duration.ofMillis(250), 200, 0.30, Duration.ofMinutes(1), Duration.ZERO));
    }

    @Test
    void everyBadValueIsReportedTogetherByName() {
        Map<DeploySetting, String> bad = Map.of(DeploySetting.ANALYSIS_MAX_ERROR_RATE, "0.01",
                DeploySetting.ANALYSIS_MAX_P99, "fast", DeploySetting.ANALYSIS_MIN_REQUESTS, "0",
                DeploySetting.ANALYSIS_ABORT_ERROR_RATE, "150%", DeploySetting.ROUTER_LISTEN, "nowhere");
        assertThatThrownBy(() -> DeployConfig.from(bad, BASE)).isInstanceOf(SwitchbackException.class)
                .hasMessageContaining("deploy.analysis.maxErrorRate '0.01' is not a percentage from 0% to 100%; use e.g. 1% or 0.5%")
                .hasMessageContaining("deploy.analysis.maxP99 'fast' is not a duration")
                .hasMessageContaining("deploy.analysis.minRequests cannot be less than 1, was 0")
                .hasMessageContaining("deploy.analysis.abortErrorRate '150%' is not a percentage")
                .hasMessageContaining("deploy.router.listen 'nowhere' is not host:port");
    }

    @Test
    void limitsThatContradictEachOtherAreRefused() {
        Map<DeploySetting, String> bad = Map.of(DeploySetting.ANALYSIS_MAX_ERROR_RATE, "25%",
                DeploySetting.ANALYSIS_INTERVAL, "500ms", DeploySetting.ANALYSIS_MAX_P99, "0s");
        assertThatThrownBy(() -> DeployConfig.from(bad, BASE)).isInstanceOf(SwitchbackException.class)
                .hasMessageContaining("deploy.analysis.abortErrorRate (20%) must be above deploy.analysis.maxErrorRate (25%)")
                .hasMessageContaining("deploy.analysis.interval cannot be less than 1s (the judge looks every second), was 500ms")
                .hasMessageContaining("deploy.analysis.maxP99 must be above 0, was 0ms");
        assertThatThrownBy(() -> new AnalysisSettings(0.01, Duration.ofMillis(500), 50, 0.2, Duration.ofSeconds(10), Duration.ofSeconds(-5)))
                .hasMessageContaining("deploy.analysis.warmup cannot be negative");
        assertThatThrownBy(() -> new AnalysisSettings(0.01, Duration.ofMillis(500), 50, 1.0, Duration.ofSeconds(10), Duration.ZERO))
                .hasMessageContaining("deploy.analysis.abortErrorRate must be above 0% and below 100%, was 100%");
    }
}

package dev.switchback.cli;

import dev.switchback.deploy.DeployConfig;
import dev.switchback.deploy.DeploySetting;
import dev.switchback.deploy.FailoverMode;
import dev.switchback.deploy.FailoverSettings;
import dev.switchback.deploy.notify.DeployEventType;
import dev.switchback.deploy.notify.NotifyFormat;
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

/** deploy.failover, the liveness settings and deploy.notify as switchback.yml gives them. */
class FailoverConfigTest {
    @TempDir
    Path dir;

    private DeployConfig load(String yaml, Map<String, String> env) throws Exception {
        Path file = Files.writeString(dir.resolve("switchback.yml"), yaml);
        return DeployConfig.from(Settings.resolve(DeploySetting.class,
                ConfigFile.select(DeploySetting.class, ConfigFile.values(file, env)), env, Map.of()), dir);
    }

    @Test
    void defaultsAreStandbyEveryTwoSecondsThreeFailuresAndNoWebhooks() throws Exception {
        DeployConfig c = load("deploy:\n  rollbackLimit: 5\n", Map.of());
        assertThat(c.failover()).isEqualTo(FailoverSettings.DEFAULTS);
        assertThat(c.webhooks()).isEmpty();
    }

    @Test
    void theSettingsAndAListOfWebhooksAreReadWithTheUrlFromTheEnvironment() throws Exception {
        DeployConfig c = load("""
                deploy:
                  failover: restart
                  service:
                    healthCheck: {liveInterval: 500ms, unhealthyThreshold: 5}
                  notify:
                    - {url: "${HOOK}", events: [failover, perform-failed], format: slack}
                    - url: http://127.0.0.1:9/all
                """, Map.of("HOOK", "https://hooks.slack.com/services/T0/B0/topSECRET"));
        assertThat(c.failover()).isEqualTo(new FailoverSettings(Duration.ofMillis(500), 5, FailoverMode.RESTART));
        assertThat(c.webhooks()).hasSize(2);
        assertThat(c.webhooks().get(0).events()).containsExactlyInAnyOrder(DeployEventType.FAILOVER, DeployEventType.PERFORM_FAILED);
        assertThat(c.webhooks().get(0).format()).isEqualTo(NotifyFormat.SLACK);
        assertThat(c.webhooks().get(1).format()).isEqualTo(NotifyFormat.JSON);
        assertThat(c.toString()).doesNotContain("topSECRET");
    }

    @Test
    void badValuesAreReportedTogetherWithoutTheUrl() {
        assertThatThrownBy(() -> load("""
                deploy:
                  failover: sometimes
                  service:
                    healthCheck: {liveInterval: 10ms}
                  notify:
                    - {url: "ftp://x/SECRET", format: teams}
                """, Map.of())).isInstanceOf(SwitchbackException.class)
                .hasMessageContaining("deploy.failover must be standby, restart or none, was 'sometimes'")
                .hasMessageContaining("liveInterval cannot be less than 100ms")
                .hasMessageContaining("deploy.notify[0].url must be an http or https URL")
                .hasMessageContaining("deploy.notify[0].format must be slack, discord or json")
                .hasMessageNotContaining("SECRET");
    }
}

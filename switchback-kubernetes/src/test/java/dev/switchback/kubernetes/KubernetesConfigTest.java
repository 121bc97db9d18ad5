package dev.switchback.kubernetes;

import dev.switchback.migration.SwitchbackException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** deploy.kubernetes.migrations and the migration Job's settings: defaults, and every problem named at once. */
class KubernetesConfigTest {
    @TempDir
    Path dir;

    private Map<KubernetesSetting, String> settings() throws Exception {
        Files.writeString(dir.resolve("d.yaml"), "kind: Deployment\n");
        Map<KubernetesSetting, String> k = new EnumMap<>(KubernetesSetting.class);
        k.put(KubernetesSetting.NAME, "shop");
        k.put(KubernetesSetting.DEPLOYMENT, "d.yaml");
        return k;
    }

    @Test
    void migrationsRunLocallyByDefaultAndAsAJobWhenAsked() throws Exception {
        KubernetesConfig local = KubernetesConfig.from(settings(), dir);
        assertThat(local.migrations()).isEqualTo(KubernetesConfig.Migrations.LOCAL);
        assertThat(local.migrateCommand()).isEqualTo(List.of("switchback", "migrate"));
        assertThat(local.migrateTimeout()).isEqualTo(Duration.ofMinutes(10));
        Map<KubernetesSetting, String> k = settings();
        k.put(KubernetesSetting.MIGRATIONS, "job");
        k.put(KubernetesSetting.MIGRATE_COMMAND, "  /app/bin/switchback   migrate --group ");
        k.put(KubernetesSetting.MIGRATE_TIMEOUT, "90s");
        KubernetesConfig job = KubernetesConfig.from(k, dir);
        assertThat(job.migrations()).isEqualTo(KubernetesConfig.Migrations.JOB);
        assertThat(job.migrateCommand()).containsExactly("/app/bin/switchback", "migrate", "--group");
        assertThat(job.migrateTimeout()).isEqualTo(Duration.ofSeconds(90));
    }

    @Test
    void badMigrationSettingsAreReportedTogether() throws Exception {
        Map<KubernetesSetting, String> k = settings();
        k.put(KubernetesSetting.MIGRATIONS, "jobs");
        k.put(KubernetesSetting.MIGRATE_COMMAND, " ");
        k.put(KubernetesSetting.MIGRATE_TIMEOUT, "500ms");
        assertThatThrownBy(() -> KubernetesConfig.from(k, dir)).isInstanceOf(SwitchbackException.class)
                .hasMessageContaining("deploy.kubernetes.migrations 'jobs' is not one of local, job")
                .hasMessageContaining("deploy.kubernetes.migrateCommand must name a command")
                .hasMessageContaining("deploy.kubernetes.migrateTimeout must be at least 1s");
        k.put(KubernetesSetting.MIGRATE_TIMEOUT, "soon");
        assertThatThrownBy(() -> KubernetesConfig.from(k, dir)).hasMessageContaining("deploy.kubernetes.migrateTimeout 'soon' is not a duration")
                .hasMessageNotContaining("at least 1s");
    }
}

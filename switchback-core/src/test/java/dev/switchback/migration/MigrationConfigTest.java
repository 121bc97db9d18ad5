package dev.switchback.migration;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MigrationConfigTest {
    final Path base = Path.of("/srv/app");

    @Test
    void defaultsAreSensible() {
        MigrationConfig c = MigrationConfig.from(Settings.resolve(Map.of(), Map.of(), Map.of()), base, null);
        assertThat(c.url()).isEqualTo("jdbc:sqlite:/srv/app/switchback.db");
        assertThat(c.lockTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(c.statementLockTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.lockRetries()).isEqualTo(5);
        assertThat(c.maxRetries()).isEqualTo(3);
        assertThat(c.retryDelay()).isEqualTo(Duration.ofSeconds(2));
        assertThat(c.table()).isEqualTo("switchback_history");
        assertThat(c.locations()).containsExactly("migrations");
    }

    @Test
    void flagBeatsEnvironmentBeatsFileBeatsDefault() {
        Map<Setting, String> file = new EnumMap<>(Setting.class);
        file.put(Setting.LOCK_TIMEOUT, "10s");
        file.put(Setting.MAX_RETRIES, "7");
        file.put(Setting.TABLE, "from_file");
        Map<String, String> env = Map.of("SWITCHBACK_MIGRATIONS_LOCK_TIMEOUT", "20s", "SWITCHBACK_MIGRATIONS_TABLE", "from_env");
        Map<Setting, String> flags = Map.of(Setting.TABLE, "from_flag");
        MigrationConfig c = MigrationConfig.from(Settings.resolve(file, env, flags), base, null);
        assertThat(c.table()).isEqualTo("from_flag");
        assertThat(c.lockTimeout()).isEqualTo(Duration.ofSeconds(20));
        assertThat(c.maxRetries()).isEqualTo(7);
    }

    @Test
    void runbookAliasesAreAccepted() {
        Map<String, String> env = Map.of("MIGRATION_LOCK_TIMEOUT", "1500", "MIGRATION_MAX_RETRIES", "9",
                "MIGRATION_DRY_RUN", "true", "AUTO_MIGRATE", "false", "SWITCHBACK_DATABASE_URL", "jdbc:postgresql://db/app");
        MigrationConfig c = MigrationConfig.from(Settings.resolve(Map.of(), env, Map.of()), base, null);
        assertThat(c.lockTimeout()).isEqualTo(Duration.ofMillis(1500));
        assertThat(c.maxRetries()).isEqualTo(9);
        assertThat(c.dryRun()).isTrue();
        assertThat(c.skip()).isTrue();
        assertThat(c.url()).isEqualTo("jdbc:postgresql://db/app");
        assertThat(Setting.LOCK_TIMEOUT.envName()).isEqualTo("SWITCHBACK_MIGRATIONS_LOCK_TIMEOUT");
    }

    @Test
    void emergencyBypassOnlyEverTurnsSkippingOn() {
        assertThat(config(Map.of("EMERGENCY_BYPASS", "true")).skip()).isTrue();
        assertThat(config(Map.of("EMERGENCY_BYPASS", "false")).skip()).isFalse();
        assertThat(config(Map.of("EMERGENCY_BYPASS", "false", "SWITCHBACK_SKIP_MIGRATIONS", "true")).skip()).isTrue();
        assertThat(config(Map.of("EMERGENCY_BYPASS", "false", "AUTO_MIGRATE", "false")).skip()).isTrue();
        assertThat(config(Map.of("EMERGENCY_BYPASS", "true", "AUTO_MIGRATE", "true")).skip()).isTrue();
        assertThatThrownBy(() -> config(Map.of("EMERGENCY_BYPASS", "perhaps")))
                .hasMessageContaining("invalid EMERGENCY_BYPASS value 'perhaps'");
    }

    @Test
    void theCacheTtlIsOffByDefaultAndTheRunbooksGiveItInMilliseconds() {
        assertThat(config(Map.of()).cacheTtl()).isNull();
        assertThat(config(Map.of("MIGRATION_CACHE_TTL", "600000")).cacheTtl()).isEqualTo(Duration.ofMinutes(10));
        assertThat(config(Map.of("MIGRATION_CACHE_TTL", "0")).cacheTtl()).isNull();
        assertThat(config(Map.of("SWITCHBACK_MIGRATIONS_CACHE_TTL", "10m")).cacheTtl()).isEqualTo(Duration.ofMinutes(10));
        assertThat(config(Map.of("SWITCHBACK_MIGRATIONS_CACHE_TTL", "off")).cacheTtl()).isNull();
        assertThatThrownBy(() -> config(Map.of("MIGRATION_CACHE_TTL", "soon")))
                .hasMessageContaining("migrations.cacheTtl 'soon' is not a duration");
    }

    private MigrationConfig config(Map<String, String> env) {
        return MigrationConfig.from(Settings.resolve(Map.of(), env, Map.of()), base, null);
    }

    @Test
    void reportsEveryBadValueAtOnce() {
        Map<Setting, String> bad = new EnumMap<>(Setting.class);
        bad.put(Setting.DATABASE_URL, "jdbc:oracle:thin:@db");
        bad.put(Setting.LOCK_TIMEOUT, "soon");
        bad.put(Setting.MAX_RETRIES, "-1");
        bad.put(Setting.OUT_OF_ORDER, "maybe");
        bad.put(Setting.TABLE, "drop table;");
        bad.put(Setting.TARGET, "v2");
        assertThatThrownBy(() -> MigrationConfig.from(Settings.resolve(bad, Map.of(), Map.of()), base, null))
                .isInstanceOfSatisfying(SwitchbackException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.CONFIG);
                    assertThat(e.getMessage()).contains("Supported: jdbc:postgresql://, jdbc:mariadb://, jdbc:mysql://, jdbc:sqlite:")
                            .contains("migrations.lockTimeout 'soon' is not a duration")
                            .contains("migrations.maxRetries cannot be less than 0, was -1")
                            .contains("migrations.outOfOrder 'maybe' is not true or false")
                            .contains("migrations.table 'drop table;' is not a table name")
                            .contains("migrations.target 'v2' is not a version");
                });
    }

    @Test
    void passwordsAreMaskedInUrlsAndToString() {
        Map<Setting, String> values = new EnumMap<>(Setting.class);
        values.put(Setting.DATABASE_URL, "jdbc:postgresql://app:s3cret@db:5432/app?password=s3cret&sslmode=require");
        values.put(Setting.DATABASE_PASSWORD, "s3cret");
        MigrationConfig c = MigrationConfig.from(Settings.resolve(values, Map.of(), Map.of()), base, null);
        assertThat(c.maskedUrl()).doesNotContain("s3cret").contains("sslmode=require");
        assertThat(c.toString()).doesNotContain("s3cret");
    }

    @Test
    void relativeSqliteFileResolvesAgainstTheBaseDir() {
        assertThat(MigrationConfig.resolveSqlitePath("jdbc:sqlite:data/app.db", base)).isEqualTo("jdbc:sqlite:/srv/app/data/app.db");
        assertThat(MigrationConfig.resolveSqlitePath("jdbc:sqlite:/abs/app.db", base)).isEqualTo("jdbc:sqlite:/abs/app.db");
        assertThat(MigrationConfig.resolveSqlitePath("jdbc:sqlite::memory:", base)).isEqualTo("jdbc:sqlite::memory:");
    }

    @Test
    void aDurationTooLongToHoldNamesItsSettingAndValue() {
        for (String huge : new String[]{"99999999999999999999s", "9999999999999999h", "9223372036854775807m"}) {
            Map<Setting, String> file = new EnumMap<>(Setting.class);
            file.put(Setting.LOCK_LEASE, huge);
            assertThatThrownBy(() -> MigrationConfig.from(Settings.resolve(file, Map.of(), Map.of()), base, null))
                    .isInstanceOfSatisfying(SwitchbackException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIG))
                    .hasMessageContaining("migrations.lockLease '" + huge + "'")
                    .hasMessageNotContaining("For input string");
        }
        assertThatThrownBy(() -> Settings.duration("deploy.service.stopTimeout", "99999999999999999999s"))
                .hasMessageContaining("deploy.service.stopTimeout '99999999999999999999s' is too long")
                .hasMessageNotContaining("For input string");
        assertThat(Settings.duration("x", "1500ms")).isEqualTo(Duration.ofMillis(1500));
        assertThat(Settings.duration("x", " 2 m ")).isEqualTo(Duration.ofMinutes(2));
        assertThat(Settings.duration("x", "7")).isEqualTo(Duration.ofSeconds(7));
    }
}

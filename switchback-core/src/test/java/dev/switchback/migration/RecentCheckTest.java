package dev.switchback.migration;

import dev.switchback.migration.discovery.LocationScanner;
import dev.switchback.migration.discovery.UpToDateSnapshot;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** What the record of migrations.cacheTtl answers for, short of a database (the real runs are in the CLI's MigrationCacheTtlIT). */
class RecentCheckTest {
    private static final long NOW = 1_800_000_000_000L;
    @TempDir
    Path tmp;
    private Path migrations;

    @BeforeEach
    void files() throws Exception {
        migrations = Files.createDirectories(tmp.resolve("migrations"));
        Files.writeString(migrations.resolve("V1__a.sql"), "SELECT 1;");
    }

    @Test
    void answersOnlyForTheSameDatabaseSettingsSnapshotAndFilesWithinTheTtl() throws Exception {
        MigrationConfig config = config("jdbc:postgresql://127.0.0.1/app?password=s3cret", Map.of());
        UpToDateSnapshot snapshot = snapshot(config);
        RecentCheck recent = RecentCheck.of(config, "settings", UpToDateInputs.snapshotFile(config));
        recent.remember(snapshot.digest(), "1", NOW);
        Path record = tmp.resolve(".switchback/checksums.up-to-date.checked");
        assertThat(Files.readString(record)).doesNotContain("s3cret").doesNotContain("127.0.0.1");

        MigrateResult cached = recent.answer(snapshot, NOW + 599_999, config);
        assertThat(cached.upToDate()).isTrue();
        assertThat(cached.to()).isEqualTo("1");
        assertThat(cached.cachedAt()).isEqualTo(java.time.Instant.ofEpochMilli(NOW).toString());
        assertThat(recent.answer(snapshot, NOW + 600_000, config)).as("past the TTL").isNull();
        assertThat(recent.answer(snapshot, NOW - 1, config)).as("a clock set back").isNull();

        // the same database with another password is the same database; another database or user is not
        assertThat(answer(config("jdbc:postgresql://127.0.0.1/app?password=other", Map.of()), "settings", snapshot)).isNotNull();
        assertThat(answer(config("jdbc:postgresql://127.0.0.1/other", Map.of()), "settings", snapshot)).isNull();
        assertThat(answer(config("jdbc:postgresql://127.0.0.1/app", Map.of("SWITCHBACK_DATABASE_USER", "else")), "settings", snapshot)).isNull();
        assertThat(answer(config, "other settings", snapshot)).isNull();

        Files.writeString(migrations.resolve("V1__a.sql"), "SELECT 11;");
        assertThat(recent.answer(snapshot, NOW + 1, config)).as("a changed file").isNull();
    }

    @Test
    void aRecordThatIsNotOneOrIsForgottenAnswersNothing() throws Exception {
        MigrationConfig config = config("jdbc:postgresql://127.0.0.1/app", Map.of());
        UpToDateSnapshot snapshot = snapshot(config);
        RecentCheck recent = RecentCheck.of(config, "settings", UpToDateInputs.snapshotFile(config));
        Path record = tmp.resolve(".switchback/checksums.up-to-date.checked");
        Files.writeString(record, "not a record");
        assertThat(recent.answer(snapshot, NOW, config)).isNull();
        recent.remember(snapshot.digest(), "1", NOW);
        assertThat(recent.answer(snapshot, NOW, config)).isNotNull();
        RecentCheck.forget(config);
        assertThat(record).doesNotExist();
        assertThat(recent.answer(snapshot, NOW, config)).isNull();
    }

    @Test
    void noRecordForADryRunASkipNoTtlOrADataSource() {
        Path file = tmp.resolve("snapshot");
        assertThat(RecentCheck.of(config("jdbc:postgresql://127.0.0.1/app", Map.of("MIGRATION_DRY_RUN", "true")), "s", file)).isNull();
        assertThat(RecentCheck.of(config("jdbc:postgresql://127.0.0.1/app", Map.of("EMERGENCY_BYPASS", "true")), "s", file)).isNull();
        assertThat(RecentCheck.of(config("jdbc:postgresql://127.0.0.1/app", Map.of("MIGRATION_CACHE_TTL", "off")), "s", file)).isNull();
        MigrationConfig withDataSource = Switchback.configure().environment(Map.of("MIGRATION_CACHE_TTL", "600000"))
                .dataSource(new org.sqlite.SQLiteDataSource()).baseDir(tmp).load().config();
        assertThat(RecentCheck.of(withDataSource, "s", file)).isNull();
    }

    private MigrationConfig config(String url, Map<String, String> env) {
        Map<String, String> all = new java.util.HashMap<>(Map.of("MIGRATION_CACHE_TTL", "600000", "SWITCHBACK_DATABASE_USER", "app"));
        all.putAll(env);
        return Switchback.configure().environment(all).url(url).locations("migrations").baseDir(tmp).load().config();
    }

    private static MigrateResult answer(MigrationConfig config, String settings, UpToDateSnapshot snapshot) {
        return RecentCheck.of(config, settings, UpToDateInputs.snapshotFile(config)).answer(snapshot, NOW + 1, config);
    }

    /** The up-to-date snapshot of a walk that trusts the files (changed an hour before, walked 10 s from now). */
    private UpToDateSnapshot snapshot(MigrationConfig config) throws Exception {
        FileTime past = FileTime.fromMillis(System.currentTimeMillis() - 3_600_000);
        Files.setLastModifiedTime(migrations.resolve("V1__a.sql"), past);
        Files.setLastModifiedTime(migrations, past);
        LocationScanner scanner = new LocationScanner(tmp, getClass().getClassLoader());
        scanner.scan(List.of("migrations"));
        Path file = UpToDateInputs.snapshotFile(config);
        UpToDateSnapshot.save(file, "settings", scanner, System.currentTimeMillis() + 10_000, "fingerprint", "1");
        return UpToDateSnapshot.load(file);
    }
}

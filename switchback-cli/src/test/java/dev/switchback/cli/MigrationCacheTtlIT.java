package dev.switchback.cli;

import dev.switchback.cli.Cli.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code MIGRATION_CACHE_TTL}: real CLI processes. Within the TTL after a check that found the database up to date, a
 * migrate with unchanged files answers without connecting: proven with a database that refuses every connection, and
 * with the JVM's class-loading log (no JDBC driver loaded). Past the TTL, with a changed file, a SQLite file deleted or
 * replaced, after a rollback, and for status, it connects.
 */
@Execution(ExecutionMode.CONCURRENT)
class MigrationCacheTtlIT {
    private static final String TTL = "600000";
    @TempDir
    Path tmp;

    @Test
    void onPostgresWithinTheTtlNothingConnects() throws Exception {
        Path m = migrations();
        try (TestDb db = TestDb.postgres()) {
            String name = db.url().substring(db.url().lastIndexOf('/') + 1);
            Cli.ok(migrate(db, Map.of()));
            rememberedCheck(db, m);
            try {
                allowConnections(name, false);
                Result cached = migrate(db, classLog("pg"));
                assertCachedWithoutDriver(cached, "pg", "org.postgresql.");

                Result status = Cli.on(tmp, db, env(), "status");
                assertThat(status.exit()).as(status.describe()).isNotZero();
                assertThat(status.all()).contains("is not currently accepting connections");
                Result ttlOff = Cli.on(tmp, db, Cli.env("MIGRATION_MAX_RETRIES", "0"), "migrate", "--no-backup");
                assertThat(ttlOff.exit()).as(ttlOff.describe()).isNotZero();
                Result bypass = migrate(db, Map.of("EMERGENCY_BYPASS", "true"));
                assertThat(Cli.ok(bypass).out()).contains("Migrations skipped").contains("EMERGENCY_BYPASS=true");

                // past the TTL (the record's time moved back instead of waiting): it connects, and fails here
                checkedAgo(600_001);
                Result expired = migrate(db, Map.of());
                assertThat(expired.exit()).as(expired.describe()).isNotZero();
                assertThat(expired.all()).contains("is not currently accepting connections");

                // a check that connects and finds the database up to date starts the TTL again
                allowConnections(name, true);
                assertThat(Cli.ok(migrate(db, Map.of())).out()).contains("Database is up to date at version 002.")
                        .doesNotContain("not connected");
                allowConnections(name, false);
                assertThat(Cli.ok(migrate(db, Map.of())).out()).contains("not connected");

                // a changed file: the full check, which connects
                Files.writeString(m.resolve("002_b.up.sql"), "CREATE TABLE b (id int PRIMARY KEY, note text);\n");
                Result changed = migrate(db, Map.of());
                assertThat(changed.exit()).as(changed.describe()).isNotZero();
                assertThat(changed.all()).contains("is not currently accepting connections");
            } finally {
                allowConnections(name, true);
            }
        }
    }

    @Test
    void onSqliteWithinTheTtlTheFileIsNotOpened() throws Exception {
        Path m = migrations();
        Path file = tmp.resolve("db/test.db");
        try (TestDb db = TestDb.sqlite(file)) {
            Cli.ok(migrate(db, Map.of()));
            rememberedCheck(db, m);
            Result cached = migrate(db, classLog("sqlite"));
            assertCachedWithoutDriver(cached, "sqlite", "org.sqlite.");
            Result status = Cli.ok(Cli.on(tmp, db, env(), "status"));
            assertThat(status.out()).contains("Pending: none").contains("Schema: as migrated"); // read from the file: status never uses the cache

            // deleted (or replaced) since the check: another database, so the full check, which applies both to a new file
            Path away = tmp.resolve("away.db");
            Files.move(file, away);
            assertThat(Cli.ok(migrate(db, Map.of())).out()).contains("Applied 001").contains("Applied 002");
            Files.delete(file);
            Files.move(away, file);

            checkedAgo(600_001);
            assertThat(Cli.ok(migrate(db, Map.of())).out()).contains("Database is up to date at version 002.")
                    .doesNotContain("not connected");
            assertThat(Cli.ok(migrate(db, Map.of())).out()).contains("not connected");

            // this process's own rollback drops the record: the next migrate connects and applies again
            Cli.ok(Cli.on(tmp, db, env(), "rollback", "--steps", "1", "--yes", "--no-backup"));
            assertThat(record()).doesNotExist();
            assertThat(Cli.ok(migrate(db, Map.of())).out()).contains("Applied 002");

            Files.writeString(m.resolve("003_c.sql"), "CREATE TABLE c (id int PRIMARY KEY);\n");
            assertThat(Cli.ok(migrate(db, Map.of())).out()).contains("Applied 003");
        }
    }

    private Path migrations() throws IOException {
        Path m = Files.createDirectories(tmp.resolve("migrations"));
        Files.writeString(m.resolve("001_a.sql"), "CREATE TABLE a (id int PRIMARY KEY);\n");
        Files.writeString(m.resolve("002_b.up.sql"), "CREATE TABLE b (id int PRIMARY KEY);\n");
        Files.writeString(m.resolve("002_b.down.sql"), "DROP TABLE b;\n");
        return m;
    }

    /**
     * A migrate that finds nothing to do and remembers so. Its walk trusts only entries changed more than 2 s before
     * it (a second write within one clock tick could leave every attribute as it was, and ctime cannot be set back), so
     * it waits out what remains of that window after the files were written, at most 2.1 s.
     */
    private void rememberedCheck(TestDb db, Path m) throws Exception {
        long newest = 0;
        try (var entries = Files.walk(m)) {
            for (Path p : entries.toList()) {
                newest = Math.max(newest, ((java.nio.file.attribute.FileTime) Files.getAttribute(p, "unix:ctime")).toMillis());
            }
        }
        long wait = newest + 2_100 - System.currentTimeMillis();
        if (wait > 0) {
            Thread.sleep(Math.min(wait, 2_100));
        }
        Result r = Cli.ok(migrate(db, Map.of()));
        assertThat(r.out()).contains("Database is up to date at version 002.").doesNotContain("not connected");
        assertThat(record()).exists();
    }

    private void assertCachedWithoutDriver(Result cached, String log, String driverPackage) throws IOException {
        Cli.ok(cached);
        assertThat(cached.out()).contains("Database is up to date at version 002, as the check at")
                .contains("not connected").doesNotContain("Pending");
        assertThat(cached.err()).contains("cached").contains("not connected");
        List<String> drivers = Files.readAllLines(tmp.resolve(log + ".classes")).stream()
                .filter(l -> l.contains(" " + driverPackage) || l.contains(" java.sql.DriverManager ")).toList();
        assertThat(drivers).isEmpty();
    }

    private Result migrate(TestDb db, Map<String, String> more) {
        Map<String, String> env = new HashMap<>(env());
        env.putAll(more);
        return Cli.on(tmp, db, env, "migrate", "--no-backup");
    }

    private static Map<String, String> env() {
        return Cli.env("MIGRATION_CACHE_TTL", TTL, "MIGRATION_MAX_RETRIES", "0");
    }

    private Map<String, String> classLog(String name) {
        return Map.of("SWITCHBACK_JAVA_OPTS", "-Xlog:class+load=info:file=" + tmp.resolve(name + ".classes"));
    }

    private Path record() {
        return tmp.resolve(".switchback/checksums.up-to-date.checked");
    }

    /** Moves the recorded check's time back by {@code ms}, as if that long had passed. */
    private void checkedAgo(long ms) throws IOException {
        List<String> lines = new ArrayList<>(Files.readAllLines(record()));
        long at = Long.parseLong(lines.get(1).substring("checked-at ".length()));
        lines.set(1, "checked-at " + (at - ms));
        Files.write(record(), lines);
    }

    private static void allowConnections(String database, boolean allow) throws SQLException {
        try (Connection c = DriverManager.getConnection(TestDb.PG_ADMIN, "postgres", ""); Statement s = c.createStatement()) {
            s.execute("ALTER DATABASE " + database + " ALLOW_CONNECTIONS " + allow);
        }
    }
}

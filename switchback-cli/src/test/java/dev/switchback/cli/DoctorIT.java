package dev.switchback.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchback.cli.TestDb.Kind;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** doctor on every database: passes on a healthy setup, and each check fails when its condition is broken. */
class DoctorIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    Path tmp;

    /** The verdict of every check, by name, from doctor --json; the exit code asserted. */
    private Map<String, String> doctor(TestDb db, int exit, Map<String, String> env, String... more) throws Exception {
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("doctor", "--json"));
        args.addAll(java.util.List.of(more));
        Cli.Result r = Cli.on(tmp, db, env, args.toArray(String[]::new));
        assertThat(r.exit()).as(r.describe()).isEqualTo(exit);
        Map<String, String> verdicts = new HashMap<>();
        for (JsonNode c : JSON.readTree(r.out()).get("checks")) {
            verdicts.put(c.get("name").asText(), c.get("verdict").asText() + ": " + c.get("detail").asText());
        }
        return verdicts;
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void passesWhenHealthyAndFailsForEachBrokenCondition(Kind kind) throws Exception {
        Path m = Files.createDirectories(tmp.resolve("migrations"));
        Files.writeString(m.resolve("001_flags.sql"), "CREATE TABLE flags (id INTEGER PRIMARY KEY, name VARCHAR(50));\n");
        try (TestDb db = TestDb.create(kind, tmp)) {
            Cli.expectOn(tmp, db, 0, "migrate");
            Map<String, String> healthy = doctor(db, 0, Map.of());
            assertThat(healthy).containsOnlyKeys("database", "lock", "migrations", "drift", "pending", "backup tool", "disk", "daemon");
            assertThat(healthy.values()).allMatch(v -> v.startsWith("ok: "));
            assertThat(Cli.expectOn(tmp, db, 0, "doctor").out()).contains("Ready to upgrade.");

            // drift: an index made by hand
            db.execute("CREATE INDEX flags_name_tmp ON flags (name)");
            assertThat(doctor(db, 4, Map.of()).get("drift")).startsWith("fail: the schema differs");
            db.execute(kind == Kind.MARIADB ? "DROP INDEX flags_name_tmp ON flags" : "DROP INDEX flags_name_tmp");

            // a missing dump tool (SQLite needs none)
            Map<String, String> noTool = Map.of("SWITCHBACK_BACKUP_PG_DUMP", "/nonexistent/pg_dump",
                    "SWITCHBACK_BACKUP_MYSQL_DUMP", "/nonexistent/mariadb-dump");
            if (kind == Kind.SQLITE) {
                assertThat(doctor(db, 0, noTool).get("backup tool")).isEqualTo("ok: SQLite backups need no tool");
            } else {
                assertThat(doctor(db, 4, noTool).get("backup tool")).startsWith("fail: Cannot run /nonexistent/");
            }
            if (kind == Kind.MARIADB) {
                // a dump tool older than the server: a warning (an older mariadb-dump still runs, but may miss what it does not know)
                Path old = tmp.resolve("old-mariadb-dump");
                Files.writeString(old, "#!/bin/sh\necho 'mariadb-dump  Ver 10.19 Distrib 10.3.39-MariaDB, for debian-linux-gnu (x86_64)'\n");
                old.toFile().setExecutable(true);
                assertThat(doctor(db, 0, Map.of("SWITCHBACK_BACKUP_MYSQL_DUMP", old.toString())).get("backup tool"))
                        .startsWith("warn: mariadb-dump  Ver 10.19 Distrib 10.3.39-MariaDB").contains("is older than the server");
            }

            // the daemon down, when a deploy: section says there should be one
            Path config = Files.writeString(tmp.resolve("switchback.yml"), "deploy:\n  admin: {listen: 127.0.0.1:"
                    + DaemonFixture.freePort() + "}\n  service:\n    command: [sh, -c, 'exit 0']\n");
            Map<String, String> down = doctor(db, 4, Map.of(), "-c", config.toString());
            assertThat(down.get("daemon")).startsWith("fail: The daemon is not running");
            assertThat(down.get("release command")).isEqualTo("ok: sh found");
            Files.delete(config);

            // a held lock
            try (AutoCloseable holder = holdLock(kind, db, m)) {
                assertThat(doctor(db, 4, Map.of()).get("lock")).startsWith("fail: the migration lock is held by ");
            }
            // MariaDB journals the killed migration as partial: not this check's business
            db.execute("DELETE FROM switchback_history WHERE version = '900'");

            // a failed migration, and a pending one lint refuses
            Files.writeString(m.resolve("002_broken.sql"), "CREATE TABLE broken (;\n");
            Cli.expectOn(tmp, db, 1, "migrate");
            Map<String, String> failed = doctor(db, 4, Map.of());
            // failed where DDL is transactional, partial (journaled statement by statement) on MariaDB
            assertThat(failed.get("migrations")).matches("fail: unfinished: 002 \\((failed|partial)\\)");
        }
    }

    /** The migration lock held by a migrate that waits (a lease written by hand on SQLite, which has no sleep). */
    private AutoCloseable holdLock(Kind kind, TestDb db, Path migrations) throws Exception {
        if (kind == Kind.SQLITE) {
            db.execute("INSERT OR REPLACE INTO switchback_lock (id, token, holder, host, pid, acquired_ms, heartbeat_ms, expires_ms) "
                    + "VALUES (1, 'test', 'doctor-test@host', 'host', 1, 0, 0, " + (System.currentTimeMillis() + 600_000) + ")");
            return () -> db.execute("DELETE FROM switchback_lock");
        }
        Path slow = Files.createDirectories(tmp.resolve("slow"));
        Files.writeString(slow.resolve("001_flags.sql"), Files.readString(migrations.resolve("001_flags.sql")));
        Files.writeString(slow.resolve("900_wait.sql"), kind == Kind.POSTGRES ? "SELECT pg_sleep(30);\n" : "SELECT SLEEP(30);\n");
        java.util.List<String> args = new java.util.ArrayList<>(db.args());
        args.addAll(java.util.List.of("--locations", slow.toString(), "migrate"));
        Cli.Running running = Cli.start(tmp, Map.of(), args.toArray(String[]::new));
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!Cli.on(tmp, db, Map.of(), "status", "--json").out().contains("\"holder\"") && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        return () -> {
            running.kill();
            running.await();
        };
    }
}

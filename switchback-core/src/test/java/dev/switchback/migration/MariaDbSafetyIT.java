package dev.switchback.migration;

import dev.switchback.migration.lock.MigrationLock;
import dev.switchback.migration.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static dev.switchback.migration.KilledMigrators.count;
import static org.assertj.core.api.Assertions.assertThat;

/** MariaDB: a killed migrator's statement never runs twice; a forced unlock leaves a true status. */
class MariaDbSafetyIT {
    @TempDir
    Path tmp;
    Path dir;
    TestDatabase db;

    @BeforeEach
    void setUp() throws Exception {
        db = TestDatabase.mariadb();
        dir = Files.createDirectories(tmp.resolve("migrations"));
    }

    @AfterEach
    void tearDown() {
        db.close();
    }

    Migrator migrator() {
        return Switchback.configure().url(db.url()).user(db.user()).password(db.password()).locations(dir.toString())
                .environment(Map.of()).lockTimeout(Duration.ofSeconds(30)).load();
    }

    String running(String prefix) {
        return "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE DB = DATABASE() AND INFO LIKE '" + prefix + "%'";
    }

    @Test
    void aStatementOfAKilledMigratorIsNotAppliedTwice() throws Exception {
        db.execute("CREATE TABLE slow_control (n INTEGER)");
        db.execute("INSERT INTO slow_control VALUES (6)");
        Files.writeString(dir.resolve("001_marks.sql"), "CREATE TABLE marks (id INTEGER AUTO_INCREMENT PRIMARY KEY, slept INTEGER);");
        Files.writeString(dir.resolve("002_mark.sql"), "INSERT INTO marks (slept) SELECT SLEEP((SELECT n FROM slow_control));");
        Path log = tmp.resolve("killed.log");
        Process p = KilledMigrators.start(db, dir, log);
        try {
            KilledMigrators.awaitWhileAlive(p, log, () -> count(db, running("INSERT INTO marks")) == 1);
        } finally {
            KilledMigrators.kill(p);
        }
        MigrateResult r = migrator().migrate();
        assertThat(r.to()).isEqualTo("002");
        KilledMigrators.await(() -> count(db, running("INSERT INTO marks")) == 0, "the first migrator's statement to end");
        assertThat(db.count("SELECT COUNT(*) FROM marks")).isEqualTo(1);
        assertThat(migrator().status().applied()).extracting(StatusReport.Applied::state).containsExactly("success", "success");
    }

    @Test
    void afterAForcedUnlockStatusNamesTheSessionStillHoldingTheLock() throws Exception {
        Files.writeString(dir.resolve("001_t.sql"), "CREATE TABLE t (id INTEGER PRIMARY KEY);");
        migrator().migrate();
        try (Database database = Database.open(migrator().config()); MigrationLock lock = database.newLock()) {
            lock.acquire(Duration.ofSeconds(10));
            long session = db.count("SELECT IS_USED_LOCK(CONCAT('switchback:', DATABASE(), '.switchback_history'))");
            assertThat(migrator().unlock(true).cleared()).isTrue();
            StatusReport.Lock shown = migrator().status().lock();
            assertThat(shown).isNotNull();
            assertThat(shown.holder()).doesNotContain("unknown").doesNotContain("pid 0")
                    .contains("connection " + session).contains("no holder record");
            assertThat(shown.since()).isNotNull();
        }
        assertThat(migrator().status().lock()).isNull();
    }
}

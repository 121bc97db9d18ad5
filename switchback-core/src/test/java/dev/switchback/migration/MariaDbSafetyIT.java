package dev.switchback.migration;

import dev.switchback.migration.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static dev.switchback.migration.KilledMigrators.count;
import static org.assertj.core.api.Assertions.assertThat;

/** MariaDB: a killed migrator's statement never runs twice; a forced unlock leaves a true status. */
class MariaDbSafetyIT extends LockSafetyContract {
    @Override
    protected TestDatabase newDatabase(Path tmp) {
        return TestDatabase.mariadb();
    }

    @Override
    String sessionHolding() throws Exception {
        return "connection " + db.count("SELECT IS_USED_LOCK(CONCAT('switchback:', DATABASE(), '.switchback_history'))");
    }

    String running(String prefix) {
        return "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE DB = DATABASE() AND INFO LIKE '" + prefix + "%'";
    }

    @Test
    void aStatementOfAKilledMigratorIsNotAppliedTwice() throws Exception {
        db.execute("CREATE TABLE slow_control (n INTEGER)");
        db.execute("INSERT INTO slow_control VALUES (6)");
        write("001_marks.sql", "CREATE TABLE marks (id INTEGER AUTO_INCREMENT PRIMARY KEY, slept INTEGER);");
        write("002_mark.sql", "INSERT INTO marks (slept) SELECT SLEEP((SELECT n FROM slow_control));");
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
}

package dev.switchback.migration;

import dev.switchback.migration.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class MariaDbMigrationIT extends MigrationContract {
    @Override
    protected TestDatabase newDatabase(Path tmp) {
        return TestDatabase.mariadb();
    }

    @Test
    void historyFingerprintShowsEveryPlannedColumnHere() throws Exception {
        historyFingerprintShowsEveryPlannedColumn();
    }

    @Test
    void upToDateSnapshotNeverHidesAChangeHere() throws Exception {
        upToDateSnapshotNeverHidesAChange();
    }

    @Test
    void ddlBehindATableLockTimesOutAndIsRetried() throws Exception {
        write("001_busy.sql", "CREATE TABLE busy (id INTEGER PRIMARY KEY);");
        migrator().migrate();
        write("002_alter_busy.sql", "ALTER TABLE busy ADD COLUMN note TEXT;");
        try (Connection holder = db.connect(); Statement st = holder.createStatement()) {
            st.execute("LOCK TABLES busy READ");
            Thread ender = new Thread(() -> {
                try {
                    Thread.sleep(2500);
                    st.execute("UNLOCK TABLES");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            ender.start();
            MigrateResult r = config().statementLockTimeout(Duration.ofSeconds(1)).lockRetries(6).load().migrate();
            ender.join();
            assertThat(r.applied()).extracting(AppliedStep::version).containsExactly("002");
        }
        assertThat(db.count("SELECT COUNT(*) FROM information_schema.columns WHERE table_schema = DATABASE() "
                + "AND table_name = 'busy' AND column_name = 'note'")).isEqualTo(1);
    }

    @Test
    void delimiterBlocksAndTriggersRun() throws Exception {
        write("001_trigger.sql", "CREATE TABLE items (id INTEGER PRIMARY KEY, name VARCHAR(50), changes INTEGER DEFAULT 0);\n"
                + "DELIMITER //\nCREATE TRIGGER items_touch BEFORE UPDATE ON items FOR EACH ROW\nBEGIN\n"
                + "  SET NEW.changes = OLD.changes + 1;\n  IF NEW.name = '' THEN SET NEW.name = 'x;y'; END IF;\nEND//\nDELIMITER ;\n"
                + "INSERT INTO items (id, name) VALUES (1, 'it\\'s');\nUPDATE items SET name = '' WHERE id = 1;\n");
        migrator().migrate();
        assertThat(db.count("SELECT changes FROM items WHERE id = 1")).isEqualTo(1);
        assertThat(db.count("SELECT COUNT(*) FROM items WHERE name = 'x;y'")).isEqualTo(1);
    }
}

package dev.switchback.backup;

import dev.switchback.migration.SwitchbackException;
import dev.switchback.migration.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MariaDbBackupIT extends BackupContract {
    @Override
    TestDatabase newDatabase(Path tmp) {
        return TestDatabase.mariadb();
    }

    @Override
    void dropDatabase(String name) throws Exception {
        try (Connection c = DriverManager.getConnection(TestDatabase.MARIADB_ADMIN, "root", ""); Statement st = c.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + name);
        }
    }

    @Test
    void aLoadKilledHalfWayIsUndoneFromTheSafetyBackup() throws Exception {
        migrator("2").migrate();
        db.execute("CREATE TABLE bulk (id INTEGER PRIMARY KEY, pad VARCHAR(200))");
        db.execute("INSERT INTO bulk SELECT seq, REPEAT('x', 200) FROM seq_1_to_300000");
        backups().create("big", null);
        db.execute("CREATE TABLE made_later (id INTEGER)");
        db.execute("DELETE FROM bulk WHERE id > 10");

        // the first client loads the scratch database; the second loads the target: kill that one
        Thread killer = ChildKiller.killNth("mariadb", "--batch", 2);
        assertThatThrownBy(() -> backups().restore(new RestoreOptions("big", null, null, null, false, false)))
                .isInstanceOfSatisfying(SwitchbackException.class, e ->
                        assertThat(e.getMessage()).contains("put back from the safety backup").contains("kept"));
        killer.join();
        assertThat(db.tableExists("made_later")).isTrue();
        assertThat(db.count("SELECT COUNT(*) FROM bulk")).isEqualTo(10);
        assertThat(migrator().status().current()).isEqualTo("002");
    }
}

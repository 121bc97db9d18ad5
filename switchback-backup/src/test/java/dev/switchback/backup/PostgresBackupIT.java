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

class PostgresBackupIT extends BackupContract {
    @Override
    TestDatabase newDatabase(Path tmp) {
        return TestDatabase.postgres();
    }

    @Override
    void dropDatabase(String name) throws Exception {
        try (Connection c = DriverManager.getConnection(TestDatabase.PG_ADMIN, "postgres", ""); Statement st = c.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        }
    }

    @Test
    void aKilledPgRestoreLeavesTheDatabaseAsItWas() throws Exception {
        migrator("2").migrate();
        db.execute("CREATE TABLE bulk AS SELECT g AS id, repeat('x', 200) AS pad FROM generate_series(1, 400000) g");
        backups().create("big", null);
        db.execute("CREATE TABLE made_later (id INTEGER)");
        db.execute("DELETE FROM bulk WHERE id > 10");

        Thread killer = ChildKiller.killFirst("pg_restore", "--file=-");
        assertThatThrownBy(() -> backups().restore(new RestoreOptions("big", null, null, null, true, false)))
                .isInstanceOfSatisfying(SwitchbackException.class, e ->
                        assertThat(e.getMessage()).contains("step pg_restore").contains("rolled back"));
        killer.join();
        assertThat(db.tableExists("made_later")).isTrue();
        assertThat(db.count("SELECT COUNT(*) FROM bulk")).isEqualTo(10);
        assertThat(migrator().status().current()).isEqualTo("002");
    }

    @Test
    void restoreKeepsTheAccessRightsOfThePublicSchema() throws Exception {
        migrator("1").migrate();
        db.execute("DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'sb_app_reader') THEN CREATE ROLE sb_app_reader; END IF; END $$");
        db.execute("GRANT USAGE ON SCHEMA public TO sb_app_reader");
        backups().create("acl", null);
        backups().restore(new RestoreOptions("acl", null, null, null, true, false));
        assertThat(db.count("SELECT COUNT(*) FROM pg_namespace n, aclexplode(n.nspacl) a WHERE n.nspname = 'public' "
                + "AND a.grantee = 'sb_app_reader'::regrole AND a.privilege_type = 'USAGE'")).isEqualTo(1);
        db.execute("REVOKE ALL ON SCHEMA public FROM sb_app_reader");
    }
}

package dev.switchback.backup;

import dev.switchback.migration.SwitchbackException;
import dev.switchback.migration.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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

    /** A large object makes pg_restore write BEGIN/COMMIT of its own; the restore must stay one transaction. */
    @Test
    void aDumpWithALargeObjectRestoresInPlace() throws Exception {
        migrator("2").migrate();
        db.execute("SELECT lo_from_bytea(0, convert_to(repeat('blob data ', 2000), 'UTF8'))");
        db.execute("CREATE TABLE counted AS SELECT g AS id FROM generate_series(1, 10) g");
        backups().create("with-lo", null);
        db.execute("CREATE TABLE made_later (id INTEGER)");
        db.execute("INSERT INTO counted SELECT g FROM generate_series(11, 1000) g");
        db.execute("SELECT lo_from_bytea(0, 'another'::bytea)");

        backups().restore(new RestoreOptions("with-lo", null, null, null, false, false));
        assertThat(db.tableExists("made_later")).isFalse();
        assertThat(db.count("SELECT COUNT(*) FROM counted")).isEqualTo(10);
        assertThat(db.count("SELECT COUNT(*) FROM pg_largeobject_metadata")).isEqualTo(1);
        assertThat(db.count("SELECT length(lo_get(oid)) FROM pg_largeobject_metadata")).isEqualTo(20_000);
    }

    @Test
    void aTamperedLargeObjectTheToolDoesNotNoticeChangesNothing() throws Exception {
        migrator("2").migrate();
        db.execute("SELECT lo_from_bytea(0, convert_to(repeat('blob data ', 2000), 'UTF8'))");
        db.execute("CREATE TABLE counted AS SELECT g AS id FROM generate_series(1, 10) g");
        Manifest m = backups().create("with-lo", null);
        db.execute("CREATE TABLE made_later (id INTEGER)");
        db.execute("INSERT INTO counted SELECT g FROM generate_series(11, 1000) g");
        Path data = tmp.resolve("backups").resolve(m.id()).resolve(m.databaseFile().name());
        byte[] bytes = Files.readAllBytes(data);
        bytes[bytes.length - 10] ^= 1; // in the large object's compressed block: pg_restore reads it without complaint
        Files.write(data, bytes);

        assertThatThrownBy(() -> backups().restore(new RestoreOptions("with-lo", null, null, null, false, false)))
                .isInstanceOfSatisfying(SwitchbackException.class, e -> assertThat(e.getMessage()).contains("SHA-256"));
        assertThat(db.tableExists("made_later")).isTrue();
        assertThat(db.count("SELECT COUNT(*) FROM counted")).isEqualTo(1000);
        assertThat(backups().list()).extracting(Manifest::id).containsExactly(m.id());
    }

    /**
     * A backup whose SQL ends the transaction itself (here a COMMIT put in place of a comment in the dump's table of
     * contents, which pg_dump never writes) is refused and rolled back instead of committing what came before it.
     */
    @Test
    void transactionControlInTheDumpIsRefusedAndRolledBack() throws Exception {
        migrator("2").migrate();
        db.execute("CREATE TABLE counted AS SELECT g AS id FROM generate_series(1, 10) g");
        db.execute("COMMENT ON TABLE counted IS 'abcdefghijklmnopqrstuvwxyz'");
        Manifest m = backups().create("stray-commit", null);
        db.execute("CREATE TABLE made_later (id INTEGER)");
        Path data = tmp.resolve("backups").resolve(m.id()).resolve(m.databaseFile().name());
        String original = "COMMENT ON TABLE public.counted IS 'abcdefghijklmnopqrstuvwxyz';";
        String stray = "COMMIT;";
        stray = stray + " ".repeat(original.length() - stray.length());
        byte[] bytes = Files.readAllBytes(data);
        String latin = new String(bytes, StandardCharsets.ISO_8859_1);
        int at = latin.indexOf(original);
        assertThat(at).isPositive();
        System.arraycopy(stray.getBytes(StandardCharsets.ISO_8859_1), 0, bytes, at, stray.length());
        Files.write(data, bytes);

        assertThatThrownBy(() -> backups().restore(new RestoreOptions("stray-commit", null, null, null, true, false)))
                .isInstanceOf(SwitchbackException.class);
        assertThat(db.tableExists("made_later")).isTrue();
        assertThat(db.count("SELECT COUNT(*) FROM counted")).isEqualTo(10);
    }

    @Test
    void theCommentOfThePublicSchemaIsRestored() throws Exception {
        migrator("1").migrate();
        db.execute("COMMENT ON SCHEMA public IS 'the shop''s tables'");
        backups().create("comment", null);
        db.execute("COMMENT ON SCHEMA public IS 'changed'");
        backups().restore(new RestoreOptions("comment", null, null, null, true, false));
        assertThat(db.count("SELECT COUNT(*) FROM pg_namespace WHERE nspname = 'public' "
                + "AND obj_description(oid, 'pg_namespace') = 'the shop''s tables'")).isEqualTo(1);
    }

    @Test
    void aFailedRestoreIntoANewDatabaseLeavesNoDatabaseBehind() throws Exception {
        migrator("2").migrate();
        Manifest m = backups().create("into", null);
        Path data = tmp.resolve("backups").resolve(m.id()).resolve(m.databaseFile().name());
        byte[] bytes = Files.readAllBytes(data);
        bytes[bytes.length - 10] ^= 1;
        Files.write(data, bytes);
        String into = "sb_into_" + Long.toHexString(System.nanoTime());
        extraDatabases.add(into);
        assertThatThrownBy(() -> backups().restore(new RestoreOptions("into", null, into, null, false, false)))
                .isInstanceOfSatisfying(SwitchbackException.class, e -> {
                    assertThat(e.code()).isEqualTo(dev.switchback.migration.ErrorCode.VERIFICATION);
                    assertThat(e.getMessage()).contains("not touched");
                });
        try (Connection c = DriverManager.getConnection(TestDatabase.PG_ADMIN, "postgres", ""); Statement st = c.createStatement();
             var rs = st.executeQuery("SELECT COUNT(*) FROM pg_database WHERE datname = '" + into + "'")) {
            rs.next();
            assertThat(rs.getInt(1)).isZero();
        }
    }

    @Override
    void enrichForProperty() throws Exception {
        db.execute("CREATE SCHEMA shop");
        db.execute("CREATE TABLE shop.orders (id INTEGER PRIMARY KEY, note TEXT)");
        db.execute("INSERT INTO shop.orders SELECT g, 'order ' || g FROM generate_series(1, 50) g");
        db.execute("COMMENT ON TABLE shop.orders IS 'orders'");
        db.execute("SELECT lo_from_bytea(0, convert_to(repeat('blob data ', 500), 'UTF8'))");
    }

    /** pg_dump --schema-only (without its per-run \\restrict keys), the other schema's rows, and every large object. */
    @Override
    String schemaText() throws Exception {
        Process p = new ProcessBuilder("pg_dump", "--schema-only", "-h", "127.0.0.1", "-U", "postgres", "-d",
                db.url().substring(db.url().lastIndexOf('/') + 1)).redirectErrorStream(true).start();
        String schema = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).isZero();
        StringBuilder b = new StringBuilder();
        schema.lines().filter(l -> !l.startsWith("\\restrict") && !l.startsWith("\\unrestrict")).forEach(l -> b.append(l).append('\n'));
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            for (String q : new String[]{
                    "SELECT string_agg(id || ':' || note, ',' ORDER BY id) FROM shop.orders",
                    "SELECT string_agg(oid || ':' || md5(lo_get(oid)), ',' ORDER BY oid) FROM pg_largeobject_metadata"}) {
                try (var rs = st.executeQuery(q)) {
                    rs.next();
                    b.append(rs.getString(1)).append('\n');
                } catch (java.sql.SQLException e) {
                    b.append(e.getSQLState()).append('\n'); // e.g. no shop schema before the property set it up
                }
            }
        }
        return b.toString();
    }
}

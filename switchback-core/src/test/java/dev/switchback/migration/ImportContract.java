package dev.switchback.migration;

import dev.switchback.migration.testing.OneDatabaseTest;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code import}: another tool's history, in the table that tool creates, taken over without running anything. Each
 * subclass supplies the server.
 */
abstract class ImportContract extends OneDatabaseTest {
    Migrator migrator() {
        return Switchback.configure().url(db.url()).user(db.user()).password(db.password()).locations(dir.toString())
                .environment(Map.of()).lockTimeout(Duration.ofSeconds(30)).installedBy("importer").load();
    }

    void write(String name, String sql) throws IOException {
        Files.writeString(dir.resolve(name), sql);
    }

    void exec(String... statements) throws SQLException {
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            for (String s : statements) {
                st.execute(s);
            }
        }
    }

    /** version, state, installed_by, script and whether up SQL is stored, per history row in rank order. */
    List<String> history() throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = db.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT version, state, installed_by, script, up_sql FROM switchback_history ORDER BY installed_rank")) {
            while (rs.next()) {
                String script = rs.getString(4);
                out.add(rs.getString(1) + " " + rs.getString(2) + " " + rs.getString(3) + " "
                        + script.substring(script.lastIndexOf('/') + 1) + (rs.getString(5) == null ? " no-sql" : ""));
            }
        }
        return out;
    }

    Timestamp installedOn(String version) throws SQLException {
        try (Connection c = db.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT installed_on FROM switchback_history WHERE version = '" + version + "'")) {
            rs.next();
            return rs.getTimestamp(1);
        }
    }

    Timestamp timestamp(String sql) throws SQLException {
        try (Connection c = db.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getTimestamp(1);
        }
    }

    /** Three tables, one per migration; the third is not applied yet. */
    void flywayFiles() throws IOException {
        write("V1__create_a.sql", "CREATE TABLE a (id INT);\n");
        write("V2__create_b.sql", "-- second\r\nCREATE TABLE b (id INT);\r\n");
        write("V3__create_c.sql", "CREATE TABLE c (id INT);\n");
    }

    void flywayRow(String table, int rank, String version, String script, Integer checksum, boolean success) throws SQLException {
        exec("INSERT INTO " + table + " (installed_rank, version, description, type, script, checksum, installed_by, "
                + "installed_on, execution_time, success) VALUES (" + rank + ", '" + version + "', 'x', 'SQL', '" + script
                + "', " + checksum + ", 'deployer', '2024-03-0" + rank + " 10:00:00', 4" + rank + ", " + success + ")");
    }

    @Test
    void aFlywayHistoryIsTakenOverWithItsTimesAndNothingIsRun() throws Exception {
        flywayFiles();
        exec(ForeignTables.flyway(db.kind(), "flyway_schema_history"));
        exec("CREATE TABLE a (id INT)", "CREATE TABLE b (id INT)");
        flywayRow("flyway_schema_history", 1, "1", "V1__create_a.sql", -2090711421, true);
        flywayRow("flyway_schema_history", 2, "2", "V2__create_b.sql", -1420537472, true);

        ImportPlan plan = migrator().importHistory("flyway", null, false);

        assertThat(plan.problems()).isEmpty();
        assertThat(plan.written()).isTrue();
        assertThat(plan.table()).isEqualTo("flyway_schema_history");
        assertThat(plan.pending()).hasSize(1).allMatch(p -> p.endsWith("V3__create_c.sql"));
        assertThat(history()).containsExactly("1 success deployer V1__create_a.sql", "2 success deployer V2__create_b.sql");
        assertThat(installedOn("2")).isEqualTo(timestamp("SELECT installed_on FROM flyway_schema_history WHERE installed_rank = 2"));
        assertThat(db.count("SELECT COUNT(*) FROM flyway_schema_history")).isEqualTo(2);
        assertThat(db.count("SELECT COUNT(*) FROM switchback_log WHERE action = 'import'")).isEqualTo(1);
        assertThat(migrator().verify().problems()).isEmpty();

        MigrateResult r = migrator().migrate();

        assertThat(r.applied()).extracting(a -> a.version()).containsExactly("3");
        assertThat(db.tableExists("c")).isTrue();
    }

    @Test
    void anEditedFileAFailedRowAndARowWithoutAFileAreReportedAndNothingIsWritten() throws Exception {
        flywayFiles();
        exec(ForeignTables.flyway(db.kind(), "flyway_schema_history"));
        flywayRow("flyway_schema_history", 1, "1", "V1__create_a.sql", 12345, true);
        flywayRow("flyway_schema_history", 2, "2", "V2__create_b.sql", -1420537472, true);
        flywayRow("flyway_schema_history", 3, "3", "V3__create_c.sql", 1, false);
        flywayRow("flyway_schema_history", 4, "4", "V4__gone.sql", 2, true);

        ImportPlan plan = migrator().importHistory("flyway", null, false);

        assertThat(plan.written()).isFalse();
        assertThat(plan.problems()).extracting(Problem::type)
                .containsExactly(Problem.CHECKSUM_MISMATCH, Problem.FAILED, Problem.MISSING_FILE);
        assertThat(plan.problems().get(0).message()).contains("installed_rank 1", "recorded checksum 12345", "-2090711421");
        assertThat(plan.problems().get(2).message()).contains("V4__gone.sql", "no migration file");
        assertThat(db.tableExists("switchback_history")).isFalse();
    }

    @Test
    void flyway5sSchemaVersionTableIsReadWhenThereIsNoFlywaySchemaHistory() throws Exception {
        flywayFiles();
        exec(ForeignTables.flyway(db.kind(), "schema_version"));
        flywayRow("schema_version", 1, "1", "V1__create_a.sql", -2090711421, true);

        ImportPlan plan = migrator().importHistory("flyway", null, false);

        assertThat(plan.table()).isEqualTo("schema_version");
        assertThat(history()).containsExactly("1 success deployer V1__create_a.sql");
    }

    @Test
    void aDryRunShowsThePlanAndWritesNothing() throws Exception {
        flywayFiles();
        exec(ForeignTables.flyway(db.kind(), "old_history"));
        flywayRow("old_history", 1, "1", "V1__create_a.sql", -2090711421, true);

        ImportPlan plan = migrator().importHistory("flyway", "old_history", true);

        assertThat(plan.clean()).isTrue();
        assertThat(plan.written()).isFalse();
        assertThat(plan.imported()).extracting(ImportPlan.Entry::version).containsExactly("1");
        assertThat(plan.imported().get(0).appliedBy()).isEqualTo("deployer");
        assertThat(db.tableExists("switchback_history")).isFalse();
        assertThatThrownBy(() -> migrator().importHistory("flyway", null, true)).isInstanceOf(SwitchbackException.class)
                .hasMessageContaining("No flyway_schema_history or schema_version table").hasMessageContaining("--table");
    }

    void upDownFiles(String... names) throws IOException {
        for (String n : names) {
            write(n + ".up.sql", "CREATE TABLE t" + n.substring(0, n.indexOf('_')) + " (id INT);\n");
            write(n + ".down.sql", "DROP TABLE t" + n.substring(0, n.indexOf('_')) + ";\n");
        }
    }

    @Test
    void golangMigratesOneVersionCoversEveryFileUpToIt() throws Exception {
        upDownFiles("000001_one", "000002_two", "000003_three");
        exec(ForeignTables.golangMigrate(db.kind()));
        exec("INSERT INTO schema_migrations (version, dirty) VALUES (2, false)");

        ImportPlan plan = migrator().importHistory("golang-migrate", null, false);

        assertThat(plan.problems()).isEmpty();
        assertThat(history()).containsExactly("000001 success importer 000001_one.up.sql", "000002 success importer 000002_two.up.sql");
        assertThat(plan.pending()).hasSize(1);
    }

    @Test
    void aDirtyGolangMigrateVersionIsReportedNotGuessed() throws Exception {
        upDownFiles("000001_one", "000002_two");
        exec(ForeignTables.golangMigrate(db.kind()));
        exec("INSERT INTO schema_migrations (version, dirty) VALUES (2, true)");

        ImportPlan plan = migrator().importHistory("golang-migrate", null, false);

        assertThat(plan.problems()).extracting(Problem::type).containsExactly(ImportPlan.DIRTY);
        assertThat(plan.problems().get(0).message()).contains("version 2 (dirty)", "migrate force");
        assertThat(db.tableExists("switchback_history")).isFalse();
    }

    @Test
    void gooseVersionsAreAppliedWhenTheirLatestRowSaysSo() throws Exception {
        for (String v : List.of("20240101120000", "20240102120000", "20240103120000")) {
            write(v + "_step.sql", "-- +goose Up\nSELECT 1;\n");
        }
        exec(ForeignTables.goose(db.kind()));
        exec("INSERT INTO goose_db_version (version_id, is_applied, tstamp) VALUES (20240101120000, true, '2024-01-01 12:00:01')",
                "INSERT INTO goose_db_version (version_id, is_applied) VALUES (20240102120000, true)",
                "INSERT INTO goose_db_version (version_id, is_applied) VALUES (20240103120000, true)",
                "INSERT INTO goose_db_version (version_id, is_applied) VALUES (20240103120000, false)");

        ImportPlan plan = migrator().importHistory("goose", null, false);

        assertThat(plan.problems()).isEmpty();
        assertThat(plan.imported()).extracting(ImportPlan.Entry::version).containsExactly("20240101120000", "20240102120000");
        assertThat(plan.pending()).hasSize(1).allMatch(p -> p.endsWith("20240103120000_step.sql"));
        assertThat(installedOn("20240101120000")).isEqualTo(Timestamp.valueOf("2024-01-01 12:00:01"));
    }

    @Test
    void dbmateAndRailsVersionStringsMatchFileVersions() throws Exception {
        write("20240101120000_create_users.sql", "CREATE TABLE users (id INT);\n");
        write("20240105120000_create_posts.sql", "CREATE TABLE posts (id INT);\n");
        exec(ForeignTables.dbmate(db.kind()));
        exec("INSERT INTO schema_migrations (version) VALUES ('20240101120000')");

        assertThat(migrator().importHistory("dbmate", null, true).imported()).extracting(ImportPlan.Entry::version)
                .containsExactly("20240101120000");
        exec("DROP TABLE schema_migrations");
        exec(ForeignTables.rails(db.kind()));
        exec("INSERT INTO schema_migrations (version) VALUES ('20240101120000'), ('20240105120000')");

        ImportPlan plan = migrator().importHistory("rails", null, false);

        assertThat(plan.problems()).isEmpty();
        assertThat(history()).containsExactly("20240101120000 success importer 20240101120000_create_users.sql",
                "20240105120000 success importer 20240105120000_create_posts.sql");
    }

    @Test
    void efCoreMigrationIdsMatchByTheirTimestamp() throws Exception {
        write("20240101120000_InitialCreate.sql", "CREATE TABLE blogs (id INT);\n");
        write("20240201120000_AddPosts.sql", "CREATE TABLE posts (id INT);\n");
        exec(ForeignTables.efCore(db.kind()));
        exec("INSERT INTO " + (db.kind().equals("postgresql") ? "\"__EFMigrationsHistory\" (\"MigrationId\", \"ProductVersion\")"
                : "__EFMigrationsHistory (MigrationId, ProductVersion)") + " VALUES ('20240101120000_InitialCreate', '8.0.0')");

        ImportPlan plan = migrator().importHistory("ef-core", null, false);

        assertThat(plan.problems()).isEmpty();
        assertThat(history()).containsExactly("20240101120000 success importer 20240101120000_InitialCreate.sql");
    }

    @Test
    void liquibaseChangesetsMatchTheirFileByName() throws Exception {
        write("001_create_accounts.sql", "CREATE TABLE accounts (id INT);\n");
        write("002_create_ledgers.sql", "CREATE TABLE ledgers (id INT);\n");
        exec(ForeignTables.liquibase(db.kind()));
        String table = db.kind().equals("postgresql") ? "databasechangelog" : "DATABASECHANGELOG";
        exec("INSERT INTO " + table + " (ID, AUTHOR, FILENAME, DATEEXECUTED, ORDEREXECUTED, EXECTYPE, MD5SUM) VALUES "
                + "('1', 'ana', 'db/changelog/001_create_accounts.sql', '2024-02-01 09:00:00', 1, 'EXECUTED', '9:abc'), "
                + "('2', 'ana', 'db/changelog/001_create_accounts.sql', '2024-02-01 09:00:05', 2, 'EXECUTED', '9:def')");

        ImportPlan plan = migrator().importHistory("liquibase", null, false);

        assertThat(plan.problems()).isEmpty();
        assertThat(history()).containsExactly("001 success importer 001_create_accounts.sql");
        assertThat(installedOn("001")).isEqualTo(Timestamp.valueOf("2024-02-01 09:00:05"));
    }

    @Test
    void seed001sMigrationsTableIsReadByFileName() throws Exception {
        write("001_create_users.sql", "CREATE TABLE users (id INT);\n");
        write("002_add_email.sql", "SELECT 1;\n");
        write("003_add_index.sql", "SELECT 1;\n");
        exec(ForeignTables.seed001(db.kind()));
        exec("INSERT INTO migrations (filename, applied_at) VALUES ('001_create_users.sql', '2024-01-10 08:00:00')",
                "INSERT INTO migrations (filename, applied_at) VALUES ('002_add_email.sql', '2024-01-11 08:00:00')");

        ImportPlan plan = migrator().importHistory("table:migrations", null, false);

        assertThat(plan.problems()).isEmpty();
        assertThat(history()).containsExactly("001 success importer 001_create_users.sql", "002 success importer 002_add_email.sql");
        assertThat(installedOn("002")).isEqualTo(Timestamp.valueOf("2024-01-11 08:00:00"));
        assertThat(plan.pending()).hasSize(1);
    }

    @Test
    void aFileBetweenAppliedVersionsWithoutARowIsReported() throws Exception {
        write("001_create_users.sql", "CREATE TABLE users (id INT);\n");
        write("002_add_email.sql", "SELECT 1;\n");
        write("003_add_index.sql", "SELECT 1;\n");
        exec(ForeignTables.seed001(db.kind()));
        exec("INSERT INTO migrations (filename) VALUES ('001_create_users.sql')",
                "INSERT INTO migrations (filename) VALUES ('003_add_index.sql')",
                "INSERT INTO migrations (filename) VALUES ('004_lost.sql')");

        ImportPlan plan = migrator().importHistory("table:migrations:filename", null, false);

        assertThat(plan.problems()).extracting(Problem::type).containsExactly(Problem.MISSING_FILE, ImportPlan.UNRECORDED_FILE);
        assertThat(plan.problems().get(1).message()).contains("002_add_email.sql", "no row");
        assertThat(db.tableExists("switchback_history")).isFalse();
    }

    @Test
    void migrateRefusesOnAnotherToolsHistoryAndNamesTheImport() throws Exception {
        upDownFiles("000001_one", "000002_two");
        exec(ForeignTables.golangMigrate(db.kind()));
        exec("CREATE TABLE t000001 (id INT)", "INSERT INTO schema_migrations (version, dirty) VALUES (1, false)");

        assertThatThrownBy(() -> migrator().migrate()).isInstanceOfSatisfying(SwitchbackException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.VERIFICATION);
            assertThat(e.getMessage()).contains("golang-migrate (schema_migrations, 1 rows)",
                    "switchback import --from golang-migrate --dry-run");
        });
        assertThat(db.tableExists("t000002")).isFalse();

        migrator().importHistory("golang-migrate", null, false);
        assertThat(migrator().migrate().applied()).extracting(AppliedStep::version).containsExactly("000002");
    }

    @Test
    void aDatabaseSwitchbackAlreadyMigratedIsNotImportedInto() throws Exception {
        flywayFiles();
        migrator().migrate();
        exec(ForeignTables.flyway(db.kind(), "flyway_schema_history"));

        assertThatThrownBy(() -> migrator().importHistory("flyway", null, false)).isInstanceOf(SwitchbackException.class)
                .hasMessageContaining("Import refused: switchback_history already has 3 row(s)");
    }
}

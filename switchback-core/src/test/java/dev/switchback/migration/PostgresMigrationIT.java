package dev.switchback.migration;

import dev.switchback.migration.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PostgresMigrationIT extends MigrationContract {
    @Override
    protected TestDatabase newDatabase(Path tmp) {
        return TestDatabase.postgres();
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
    void ddlBehindALongTransactionTimesOutAndIsRetried() throws Exception {
        write("001_busy.sql", "CREATE TABLE busy (id INTEGER PRIMARY KEY);");
        migrator().migrate();
        write("002_alter_busy.sql", "ALTER TABLE busy ADD COLUMN note TEXT;");
        try (Connection reader = db.connect(); Statement st = reader.createStatement()) {
            reader.setAutoCommit(false);
            st.execute("SELECT * FROM busy"); // a long read: holds ACCESS SHARE until it ends
            assertThatThrownBy(() -> config().statementLockTimeout(Duration.ofMillis(200)).lockRetries(0).load().migrate())
                    .isInstanceOfSatisfying(SwitchbackException.class, e ->
                            assertThat(e.getMessage()).contains("002_alter_busy.sql:1").contains("55P03"));
            Thread ender = new Thread(() -> {
                try {
                    Thread.sleep(1200);
                    reader.rollback();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            ender.start();
            MigrateResult r = config().statementLockTimeout(Duration.ofMillis(200)).lockRetries(6).load().migrate();
            ender.join();
            assertThat(r.applied()).extracting(AppliedStep::version).containsExactly("002");
        }
        assertThat(db.count("SELECT COUNT(*) FROM information_schema.columns WHERE table_name = 'busy' AND column_name = 'note'")).isEqualTo(1);
    }

    @Test
    void createIndexConcurrentlyRunsWhileTheLockIsHeld() throws Exception {
        write("001_orders.sql", "CREATE TABLE orders (id INTEGER PRIMARY KEY, placed_at TIMESTAMPTZ);\n"
                + "INSERT INTO orders SELECT g, now() FROM generate_series(1, 1000) g;");
        write("002_index.sql", "-- switchback:no-transaction\nCREATE INDEX CONCURRENTLY orders_placed_idx ON orders (placed_at);");
        MigrateResult r = config().statementLockTimeout(Duration.ofSeconds(10)).lockRetries(0).load().migrate();
        assertThat(r.applied()).hasSize(2);
        assertThat(db.count("SELECT COUNT(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
                + "WHERE c.relname = 'orders_placed_idx' AND i.indisvalid")).isEqualTo(1);
    }

    @Test
    void unterminatedDollarQuoteIsRefusedNamingFileAndLine() throws Exception {
        write("001_function.sql", "CREATE TABLE audit (id SERIAL PRIMARY KEY, msg TEXT);\n"
                + "CREATE FUNCTION note() RETURNS void AS $fn$\nBEGIN\n  INSERT INTO audit (msg) VALUES ('x');\nEND;\n$fm$ LANGUAGE plpgsql;\n"
                + "CREATE TABLE swallowed (id INTEGER);\n");
        assertThatThrownBy(() -> migrator().migrate()).isInstanceOfSatisfying(SwitchbackException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.CONFIG);
            assertThat(e.getMessage()).contains("001_function.sql:2: unterminated dollar-quoted string $fn$");
        });
        assertThat(db.tableExists("audit")).isFalse();
    }

    @Test
    void noTransactionDownDropsAnIndexConcurrentlyInRollback() throws Exception {
        write("001_orders.sql", "CREATE TABLE orders (id INTEGER PRIMARY KEY, placed_at TIMESTAMPTZ);");
        write("002_index.up.sql", "-- switchback:no-transaction\nCREATE INDEX CONCURRENTLY orders_placed_idx ON orders (placed_at);");
        write("002_index.down.sql", "-- switchback:no-transaction\nDROP INDEX CONCURRENTLY orders_placed_idx;");
        String index = "SELECT COUNT(*) FROM pg_class WHERE relname = 'orders_placed_idx'";
        migrator().migrate();
        assertThat(db.count(index)).isEqualTo(1);
        assertThat(migrator().rollback(RollbackRequest.steps(1)).undone()).extracting(AppliedStep::version).containsExactly("002");
        assertThat(db.count(index)).isZero();

        // the file gone, the down SQL stored in the history carries its own directive
        migrator().migrate();
        Files.delete(dir.resolve("002_index.up.sql"));
        Files.delete(dir.resolve("002_index.down.sql"));
        RollbackResult r = migrator().rollback(RollbackRequest.steps(1));
        assertThat(r.plan()).extracting(RollbackResult.Undo::source).containsExactly("history");
        assertThat(db.count(index)).isZero();
    }

    @Test
    void dollarQuotedFunctionsAndDoBlocksRun() throws Exception {
        write("001_function.sql", "CREATE TABLE audit (id SERIAL PRIMARY KEY, msg TEXT);\n"
                + "CREATE FUNCTION note(m TEXT) RETURNS void AS $fn$\nBEGIN\n  INSERT INTO audit (msg) VALUES (m || ';');\nEND;\n$fn$ LANGUAGE plpgsql;\n"
                + "DO $$ BEGIN PERFORM note('created; twice'); END $$;\nSELECT note(E'it\\'s');\n");
        write("001_function.down.sql", "DROP FUNCTION note(TEXT);\nDROP TABLE audit;\n");
        migrator().migrate();
        assertThat(db.count("SELECT COUNT(*) FROM audit")).isEqualTo(2);
        migrator().rollback(RollbackRequest.to("0"));
        assertThat(db.tableExists("audit")).isFalse();
    }
}

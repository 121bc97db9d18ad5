package dev.switchback.migration;

import dev.switchback.migration.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import static dev.switchback.migration.KilledMigrators.count;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * PostgreSQL: an orphaned backend of a gone migrator never runs its statement twice, an invalid index is never
 * taken for done, a forced unlock leaves a true status.
 */
class PostgresSafetyIT extends LockSafetyContract {
    private static final String ADVISORY_HOLDER = "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted"
            + " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())";

    @Override
    protected TestDatabase newDatabase(Path tmp) {
        return TestDatabase.postgres();
    }

    @Override
    String sessionHolding() throws Exception {
        return "backend pid " + db.count(ADVISORY_HOLDER);
    }

    /**
     * A migrator cut off without a TCP reset (frozen here) whose lock session is then ended, as `unlock` advises for a
     * stuck holder: its other backend still runs its journaled statement. {@code next} runs then; afterwards the
     * statement must have applied once.
     */
    void goneMigratorWithItsStatementStillRunning(ThrowingRunnable next) throws Exception {
        db.execute("CREATE TABLE slow_control (n INTEGER)");
        db.execute("INSERT INTO slow_control VALUES (6)");
        write("001_marks.sql", "CREATE TABLE marks (id SERIAL PRIMARY KEY, slept TEXT);");
        write("002_mark.sql", "-- switchback:no-transaction\nINSERT INTO marks (slept) SELECT pg_sleep((SELECT n FROM slow_control))::text;");
        String running = "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() AND state = 'active' AND query LIKE 'INSERT INTO marks%'";
        Path log = tmp.resolve("frozen.log");
        Process p = KilledMigrators.start(db, dir, log);
        try {
            KilledMigrators.awaitWhileAlive(p, log, () -> count(db, running) == 1);
            KilledMigrators.signal(p, "STOP");
            db.execute("SELECT pg_terminate_backend(pid) FROM (" + ADVISORY_HOLDER + ") h");
            KilledMigrators.await(() -> count(db, "SELECT COUNT(*) FROM (" + ADVISORY_HOLDER + ") h") == 0, "the lock to be free");
            next.run();
            KilledMigrators.await(() -> count(db, running) == 0, "the first migrator's statement to end");
            assertThat(db.count("SELECT COUNT(*) FROM marks")).isEqualTo(1);
        } finally {
            KilledMigrators.kill(p);
        }
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    @Test
    void theStillRunningBackendOfAGoneMigratorIsEndedBeforeItsStatementIsResumed() throws Exception {
        goneMigratorWithItsStatementStillRunning(() -> assertThat(migrator().migrate().to()).isEqualTo("002"));
    }

    /** The holder record is the only pointer to that backend: a forced unlock ends it before clearing the record. */
    @Test
    void aForcedUnlockEndsTheStillRunningBackendOfAGoneMigrator() throws Exception {
        goneMigratorWithItsStatementStillRunning(() -> {
            UnlockResult forced = migrator().unlock(true);
            assertThat(forced.message()).contains("Ended the gone holder's database session").contains("INSERT INTO marks");
            assertThat(migrator().migrate().to()).isEqualTo("002");
        });
    }

    /** Fails a unique index on duplicates, as a concurrent build does: it stays behind, INVALID. */
    void leaveAnInvalidIndex(String name) throws SQLException {
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            st.execute("CREATE UNIQUE INDEX CONCURRENTLY " + name + " ON users (email)");
            throw new AssertionError("the index was built over duplicates");
        } catch (SQLException e) {
            assertThat(e.getSQLState()).isEqualTo("23505");
        }
    }

    @Test
    void aResumedConcurrentIndexIsNotSkippedOverTheInvalidIndexItsFailureLeft() throws Exception {
        write("001_users.sql", "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT);\n"
                + "INSERT INTO users VALUES (1, 'a@example.com'), (2, 'a@example.com');");
        write("002_unique_email.sql", "-- switchback:no-transaction\n"
                + "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS users_email_uq ON users (email);");
        assertThatThrownBy(() -> migrator().migrate()).isInstanceOfSatisfying(SwitchbackException.class, e ->
                assertThat(e.getMessage()).contains("23505").contains("DROP INDEX CONCURRENTLY users_email_uq;"));
        db.execute("DELETE FROM users WHERE id = 2");

        assertThatThrownBy(() -> migrator().migrate()).isInstanceOfSatisfying(SwitchbackException.class, e ->
                assertThat(e.getMessage()).contains("users_email_uq").contains("INVALID")
                        .contains("DROP INDEX CONCURRENTLY users_email_uq"));
        assertThat(migrator().status().applied()).extracting(StatusReport.Applied::state).containsExactly("success", "partial");

        db.execute("DROP INDEX CONCURRENTLY users_email_uq");
        migrator().migrate();
        assertThat(migrator().status().applied()).extracting(StatusReport.Applied::state).containsExactly("success", "success");
        assertThatThrownBy(() -> db.execute("INSERT INTO users VALUES (3, 'a@example.com')"))
                .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("23505"));
    }

    @Test
    void aJournaledMigrationThatLeavesAnInvalidIndexStaysPartialAndReRunsItsStatement() throws Exception {
        write("001_users.sql", "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT);\n"
                + "INSERT INTO users VALUES (1, 'a@example.com'), (2, 'a@example.com');");
        migrator().migrate();
        leaveAnInvalidIndex("users_email_uq");
        db.execute("DELETE FROM users WHERE id = 2");
        write("002_unique_email.sql", "-- switchback:no-transaction\nCREATE TABLE other (id INTEGER);\n"
                + "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS users_email_uq ON users (email);\n"
                + "INSERT INTO other VALUES (1);");

        assertThatThrownBy(() -> migrator().migrate()).isInstanceOfSatisfying(SwitchbackException.class, e ->
                assertThat(e.getMessage()).contains("002_unique_email.sql").contains("users_email_uq")
                        .contains("DROP INDEX CONCURRENTLY users_email_uq").contains("statement 2"));
        assertThat(migrator().status().applied()).extracting(StatusReport.Applied::state).containsExactly("success", "partial");

        db.execute("DROP INDEX CONCURRENTLY users_email_uq");
        migrator().migrate();
        assertThat(db.count("SELECT COUNT(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
                + "WHERE c.relname = 'users_email_uq' AND i.indisvalid")).isEqualTo(1);
        assertThat(db.count("SELECT COUNT(*) FROM other")).isEqualTo(1);
    }

    /** Another index on the same table, invalid for its own reasons, is not this migration's: nothing is re-run. */
    @Test
    void anInvalidIndexTheMigrationDidNotBuildDoesNotMakeItReRunStatements() throws Exception {
        write("001_users.sql", "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT, name TEXT);\n"
                + "INSERT INTO users VALUES (1, 'a@example.com', 'x'), (2, 'a@example.com', 'x');\nCREATE TABLE audit (id INTEGER);");
        migrator().migrate();
        leaveAnInvalidIndex("users_email_uq");
        write("002_name_idx.sql", "-- switchback:no-transaction\n"
                + "CREATE INDEX CONCURRENTLY IF NOT EXISTS users_name_idx ON users (name);\n"
                + "INSERT INTO audit VALUES (1);");
        migrator().migrate();
        assertThat(migrator().status().applied()).extracting(StatusReport.Applied::state).containsExactly("success", "success");
        assertThat(db.count("SELECT COUNT(*) FROM audit")).isEqualTo(1);
        db.execute("DROP INDEX CONCURRENTLY users_email_uq");
    }
}

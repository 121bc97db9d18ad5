package dev.switchback.migration;

import dev.switchback.migration.lock.MigrationLock;
import dev.switchback.migration.testing.MigrateMain;
import dev.switchback.migration.testing.OneDatabaseTest;
import dev.switchback.migration.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The behaviour every dialect must have. Each subclass only supplies the database; every test runs against
 * the real server (or SQLite file).
 */
abstract class MigrationContract extends OneDatabaseTest {
    Switchback.Builder config() {
        return Switchback.configure().url(db.url()).user(db.user()).password(db.password())
                .locations(dir.toString()).environment(Map.of()).lockTimeout(Duration.ofSeconds(30))
                .lockLease(Duration.ofSeconds(2)).retryDelay(Duration.ofMillis(100));
    }

    Migrator migrator() {
        return config().load();
    }

    void write(String name, String sql) throws IOException {
        Files.writeString(dir.resolve(name), sql);
    }

    void deleteMigrationFiles() throws IOException {
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.delete(f);
            }
        }
    }

    void threeMigrations() throws IOException {
        write("001_create_customers.up.sql", "CREATE TABLE customers (id INTEGER PRIMARY KEY, email VARCHAR(100) NOT NULL);\n");
        write("001_create_customers.down.sql", "DROP TABLE customers;\n");
        write("002_create_orders.up.sql", "-- orders; with a ';' in a comment\nCREATE TABLE orders (id INTEGER PRIMARY KEY, "
                + "customer_id INTEGER NOT NULL, note VARCHAR(100) DEFAULT 'a;b');\nCREATE INDEX orders_customer ON orders (customer_id);\n");
        write("002_create_orders.down.sql", "DROP TABLE orders;\n");
        write("V3__seed_customers.sql", "INSERT INTO customers (id, email) VALUES (1, 'a@example.com');\n"
                + "INSERT INTO customers (id, email) VALUES (2, 'b@example.com');\n");
        write("U3__seed_customers.sql", "DELETE FROM customers WHERE id IN (1, 2);\n");
    }

    @Test
    void migrateAppliesPendingInOrderAndRecordsThem() throws Exception {
        threeMigrations();
        MigrateReport report = migrator().migrateWithStatus();
        MigrateResult r = report.result();

        assertThat(r.applied()).extracting(AppliedStep::version).containsExactly("001", "002", "3");
        assertThat(r.from()).isNull();
        assertThat(r.to()).isEqualTo("3");
        assertThat(db.count("SELECT COUNT(*) FROM customers")).isEqualTo(2);
        assertThat(db.tableExists("orders")).isTrue();
        StatusReport status = migrator().status();
        assertThat(report.status()).as("the status read on migrate's connection").isEqualTo(status);
        assertThat(migrator().migrateWithStatus().status()).as("with nothing to do, from the rows the plan read").isEqualTo(status);
        assertThat(status.current()).isEqualTo("3");
        assertThat(status.pending()).isEmpty();
        assertThat(status.problems()).isEmpty();
        assertThat(status.lock()).isNull();
        assertThat(status.applied()).extracting(StatusReport.Applied::state).containsOnly("success");
        assertThat(status.applied()).allMatch(StatusReport.Applied::hasDown);
        assertThat(status.applied().get(1).script()).endsWith("002_create_orders.up.sql");
        assertThat(db.count("SELECT COUNT(*) FROM switchback_log WHERE action = 'migrate' AND outcome = 'success'")).isEqualTo(1);
        if (!db.kind().equals("sqlite")) { // SQLite keeps the time as text, read by its own rule
            List<String> installed = new ArrayList<>();
            try (java.sql.Connection c = db.connect(); java.sql.Statement st = c.createStatement();
                 java.sql.ResultSet rs = st.executeQuery("SELECT installed_on FROM switchback_history ORDER BY installed_rank")) {
                while (rs.next()) {
                    installed.add(rs.getTimestamp(1).toInstant().toString());
                }
            }
            assertThat(status.applied()).as("the instant each was applied").extracting(StatusReport.Applied::appliedAt)
                    .containsExactlyElementsOf(installed);
        }
    }

    @Test
    void upToDateCheckTakesNoLock() throws Exception {
        threeMigrations();
        migrator().migrate();
        Migrator blocked = config().lockTimeout(Duration.ofMillis(300)).load();
        try (MigrationLock held = heldLock()) {
            MigrateResult r = blocked.migrate();
            assertThat(r.upToDate()).isTrue();
            assertThat(r.applied()).isEmpty();
            // with something pending the same call must wait for the lock and give up
            write("004_more.sql", "CREATE TABLE more_things (id INTEGER PRIMARY KEY);");
            assertThatThrownBy(blocked::migrate).isInstanceOfSatisfying(SwitchbackException.class, e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.LOCK_TIMEOUT);
                assertThat(e.getMessage()).contains("pid " + ProcessHandle.current().pid());
            });
            assertThat(migrator().status().lock()).isNotNull();
            assertThat(migrator().status().lock().holder()).contains("pid " + ProcessHandle.current().pid());
        }
        assertThat(migrator().status().lock()).isNull();
        assertThat(migrator().migrate().applied()).hasSize(1);
    }

    /**
     * A server's start-up check remembers a check that found nothing to do (files' stat trail and a digest of the
     * history) and answers the next identical one from it; every change to a file or to the history is still seen.
     * Run by the server dialects (SQLite checks a local file and keeps no snapshot). Files must be older than the
     * checksum cache's racy window before a snapshot is written: the migrator's clock is moved past it, as a wait would.
     */
    void upToDateSnapshotNeverHidesAChange() throws Exception {
        threeMigrations();
        // a subfolder holding no migration yet, only a note that will later be renamed into one
        Path later = Files.createDirectories(dir.resolve("later"));
        Files.writeString(later.resolve("notes.txt"), "CREATE TABLE renamed_things (id INTEGER PRIMARY KEY);");
        MovedClock clock = new MovedClock();
        Migrator m = config().baseDir(tmp).load().withClock(clock);
        Path snapshot = tmp.resolve(".switchback/checksums.up-to-date");
        assertThat(m.migrate().applied()).hasSize(3);
        StatusReport walked = m.status(); // no snapshot yet: from the files walked
        clock.advance(Duration.ofMillis(2100));
        assertThat(m.migrate().upToDate()).isTrue(); // the full check, which writes the snapshot
        Object written = Files.readAttributes(snapshot, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
        MigrateResult fast = m.migrate();
        assertThat(fast.upToDate()).isTrue();
        assertThat(fast.from()).isEqualTo("3");
        assertThat(fast.warnings()).isEmpty();
        // answered from the snapshot: a full check rewrites it (a new file renamed into place)
        assertThat(Files.readAttributes(snapshot, java.nio.file.attribute.BasicFileAttributes.class).fileKey()).isEqualTo(written);
        // status, and the status migrate prints, answered from the snapshot and the rows: the same as from the walk
        assertThat(m.status()).isEqualTo(walked);
        assertThat(m.migrateWithStatus().status()).isEqualTo(walked);

        // an edit that keeps the size and the mtime: only the ctime says so
        Path seed = dir.resolve("V3__seed_customers.sql");
        String text = Files.readString(seed);
        java.nio.file.attribute.FileTime mtime = Files.getLastModifiedTime(seed);
        Files.writeString(seed, text.replace("a@example.com", "z@example.com"));
        Files.setLastModifiedTime(seed, mtime);
        assertThat(Files.size(seed)).isEqualTo(text.length());
        assertThat(m.status().problems()).extracting(Problem::message).anyMatch(p -> p.contains("V3__seed_customers.sql was edited"));
        assertThatThrownBy(m::migrate).isInstanceOfSatisfying(SwitchbackException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.VERIFICATION);
            assertThat(e.getMessage()).contains("V3__seed_customers.sql was edited");
        });
        Files.writeString(seed, text);
        clock.advance(Duration.ofMillis(2100));
        // the files changed and the history did not: the fingerprint matched, the rows are read all the same, and this
        // full check is remembered in turn; the next one is answered from it
        assertThat(m.migrate().upToDate()).isTrue();
        Object rewritten = Files.readAttributes(snapshot, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
        assertThat(rewritten).isNotEqualTo(written);
        assertThat(m.migrate().upToDate()).isTrue();
        assertThat(Files.readAttributes(snapshot, java.nio.file.attribute.BasicFileAttributes.class).fileKey()).isEqualTo(rewritten);

        // another process changed the history: same files, other rows
        String table = m.config().table();
        db.execute("UPDATE " + table + " SET checksum = 'edited' WHERE version = '3'");
        assertThat(m.status().problems()).as("the same files, another history: walked again").isNotEmpty();
        assertThatThrownBy(m::migrate).isInstanceOfSatisfying(SwitchbackException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.VERIFICATION));
        m.repair(); // records the file's checksum again: the history changes once more
        assertThat(m.migrate().upToDate()).isTrue();

        // a snapshot that cannot be read is ignored
        clock.advance(Duration.ofMillis(2100));
        assertThat(m.migrate().upToDate()).isTrue();
        Files.writeString(snapshot, "not a snapshot");
        assertThat(m.migrate().upToDate()).isTrue();
        assertThat(Files.size(snapshot)).isGreaterThan(100); // rewritten by that full check

        // a new file is applied; a removed one is reported
        write("004_more.sql", "CREATE TABLE more_things (id INTEGER PRIMARY KEY);");
        assertThat(m.migrate().applied()).extracting(AppliedStep::version).containsExactly("004");
        clock.advance(Duration.ofMillis(2100));
        assertThat(m.migrate().upToDate()).isTrue();
        Object remembered = Files.readAttributes(snapshot, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
        assertThat(m.migrate().upToDate()).isTrue();
        assertThat(Files.readAttributes(snapshot, java.nio.file.attribute.BasicFileAttributes.class).fileKey()).isEqualTo(remembered);
        // a rename in a subfolder changes only that folder's times (no .sql file was there to stat)
        Files.move(later.resolve("notes.txt"), later.resolve("005_renamed.sql"));
        assertThat(m.migrate().applied()).extracting(AppliedStep::version).containsExactly("005");
        clock.advance(Duration.ofMillis(2100));
        assertThat(m.migrate().upToDate()).isTrue();
        Files.delete(dir.resolve("004_more.sql"));
        MigrateResult gone = m.migrate();
        assertThat(gone.upToDate()).isTrue();
        assertThat(gone.warnings()).extracting(Problem::type).containsExactly(Problem.MISSING_FILE);
    }

    /**
     * The history fingerprint the up-to-date snapshot compares: computed by the server (the count and the sum of a row
     * hash) where the dialect has one, else a digest of the rows read. Every change to a column the plan reads, moving
     * a value to another row, a removed row, and a change of case all change it; the server's answer always equals the
     * one summed from the rows read. Columns the plan does not read do not count.
     */
    void historyFingerprintShowsEveryPlannedColumn() throws Exception {
        threeMigrations();
        Migrator m = migrator();
        assertThat(m.migrate().applied()).hasSize(3);
        String t = m.config().table();
        try (Database d = Database.open(m.config())) {
            java.sql.Connection c = d.connection;
            String before = fingerprint(d);
            assertThat(before).isEqualTo(fingerprint(d));
            List<String> checksums = new ArrayList<>();
            try (java.sql.Statement st = c.createStatement();
                 java.sql.ResultSet rs = st.executeQuery("SELECT checksum FROM " + t + " ORDER BY installed_rank")) {
                while (rs.next()) {
                    checksums.add(rs.getString(1));
                }
            }
            c.setAutoCommit(false);
            for (List<String> change : List.of(
                    List.of("UPDATE " + t + " SET version = '9' WHERE installed_rank = 2"),
                    List.of("UPDATE " + t + " SET version = NULL WHERE installed_rank = 2"),
                    List.of("UPDATE " + t + " SET type = 'BASELINE' WHERE installed_rank = 2"),
                    List.of("UPDATE " + t + " SET script = UPPER(script) WHERE installed_rank = 2"),
                    List.of("UPDATE " + t + " SET checksum = NULL WHERE installed_rank = 2"),
                    List.of("UPDATE " + t + " SET checksum = '' WHERE installed_rank = 2"),
                    List.of("UPDATE " + t + " SET checksum = '" + checksums.get(1) + "' WHERE installed_rank = 1",
                            "UPDATE " + t + " SET checksum = '" + checksums.get(0) + "' WHERE installed_rank = 2"),
                    List.of("UPDATE " + t + " SET state = 'failed' WHERE installed_rank = 3"),
                    List.of("UPDATE " + t + " SET statements_done = statements_done + 1 WHERE installed_rank = 2"),
                    List.of("UPDATE " + t + " SET installed_rank = 7 WHERE installed_rank = 3"),
                    List.of("DELETE FROM " + t + " WHERE installed_rank = 3"))) {
                try (java.sql.Statement st = c.createStatement()) {
                    for (String sql : change) {
                        st.executeUpdate(sql);
                    }
                }
                assertThat(fingerprint(d)).as("%s", change).isNotEqualTo(before);
                c.rollback();
                assertThat(fingerprint(d)).isEqualTo(before);
            }
            try (java.sql.Statement st = c.createStatement()) {
                st.executeUpdate("UPDATE " + t + " SET description = 'other', execution_ms = 12345 WHERE installed_rank = 2");
            }
            assertThat(fingerprint(d)).isEqualTo(before);
            c.rollback();
            c.setAutoCommit(true);
        }
    }

    /** The server's fingerprint, checked against the one taken from the rows read; or, without one, the digest. */
    private static String fingerprint(Database d) throws java.sql.SQLException {
        dev.switchback.migration.history.HistoryTable.PlanRows read = d.history.readForPlanFingerprinted(d.connection);
        String server = d.history.fingerprint(d.connection);
        if (server == null) {
            assertThat(read.fingerprint()).startsWith("sha256 ");
            return read.fingerprint();
        }
        assertThat(server).startsWith("rows " + read.rows().size() + " sum ").isEqualTo(read.fingerprint());
        return server;
    }

    /** Holds the migration lock as another migrator would. */
    MigrationLock heldLock() {
        MigrationConfig cfg = migrator().config();
        Database database = Database.open(cfg);
        try {
            MigrationLock lock = database.newLock();
            lock.acquire(Duration.ofSeconds(10));
            return new MigrationLock() {
                public void acquire(Duration timeout) {
                }

                public void close() {
                    lock.close();
                    database.close();
                }
            };
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
    }

    @Test
    void dryRunChangesNothing() throws Exception {
        threeMigrations();
        MigrateResult r = config().dryRun(true).load().migrate();
        assertThat(r.dryRun()).isTrue();
        assertThat(r.plan()).extracting(PlannedMigration::version).containsExactly("001", "002", "3");
        assertThat(r.plan().get(1).sql()).contains("CREATE INDEX orders_customer");
        assertThat(db.tableExists("switchback_history")).isFalse();
        assertThat(db.tableExists("switchback_lock")).isFalse();
        assertThat(db.tableExists("customers")).isFalse();
    }

    @Test
    void targetStopsAtVersion() throws Exception {
        threeMigrations();
        MigrateResult r = config().target("2").load().migrate();
        assertThat(r.applied()).extracting(AppliedStep::version).containsExactly("001", "002");
        assertThat(migrator().status().pending()).extracting(StatusReport.Pending::version).containsExactly("3");
    }

    @Test
    void sqlErrorStopsWithFileLineAndLeavesNothingHalfDone() throws Exception {
        write("001_ok.sql", "CREATE TABLE first_table (id INTEGER PRIMARY KEY);");
        write("002_broken.sql", "CREATE TABLE second_table (id INTEGER PRIMARY KEY);\n\nINSERT INTO no_such_table VALUES (1);\n");
        write("003_later.sql", "CREATE TABLE third_table (id INTEGER PRIMARY KEY);");

        assertThatThrownBy(() -> migrator().migrate()).isInstanceOfSatisfying(SwitchbackException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.FAILED);
            assertThat(e.getMessage()).contains("002_broken.sql:3, statement 2").contains("INSERT INTO no_such_table")
                    .containsAnyOf("SQLSTATE", "error code").containsIgnoringCase("no_such_table");
        });
        assertThat(db.tableExists("first_table")).isTrue();
        assertThat(db.tableExists("third_table")).isFalse();
        StatusReport status = migrator().status();
        StatusReport.Applied broken = status.applied().get(1);
        if (transactionalDdl()) {
            assertThat(db.tableExists("second_table")).isFalse();
            assertThat(broken.state()).isEqualTo("failed");
            assertThat(status.problems()).extracting(Problem::type).contains("failed");
        } else {
            // DDL commits implicitly: journaled, statement 1 done
            assertThat(db.tableExists("second_table")).isTrue();
            assertThat(broken.state()).isEqualTo("partial");
            assertThat(status.problems()).extracting(Problem::type).contains("partial");
        }

        write("002_broken.sql", "CREATE TABLE second_table (id INTEGER PRIMARY KEY);\n\nINSERT INTO second_table VALUES (1);\n");
        MigrateResult r = migrator().migrate();
        assertThat(r.applied()).extracting(AppliedStep::version).containsExactly("002", "003");
        assertThat(db.count("SELECT COUNT(*) FROM second_table")).isEqualTo(1);
        assertThat(migrator().status().applied()).extracting(StatusReport.Applied::state).containsOnly("success").hasSize(3);
        assertThat(migrator().verify().clean()).isTrue();
    }

    boolean transactionalDdl() {
        return !db.kind().equals("mariadb");
    }

    @Test
    void noTransactionMigrationResumesAtTheFailedStatement() throws Exception {
        write("001_steps.sql", "-- switchback:no-transaction\nCREATE TABLE step_one (id INTEGER PRIMARY KEY);\n"
                + "INSERT INTO step_missing VALUES (1);\nCREATE TABLE step_three (id INTEGER PRIMARY KEY);\n");
        assertThatThrownBy(() -> migrator().migrate()).isInstanceOfSatisfying(SwitchbackException.class, e ->
                assertThat(e.getMessage()).contains("001_steps.sql:3, statement 2").contains("resume at statement 2"));
        StatusReport.Applied row = migrator().status().applied().get(0);
        assertThat(row.state()).isEqualTo("partial");
        assertThat(db.tableExists("step_one")).isTrue();

        // editing a statement that already ran is refused
        write("001_steps.sql", "-- switchback:no-transaction\nCREATE TABLE step_uno (id INTEGER PRIMARY KEY);\n"
                + "CREATE TABLE step_missing (id INTEGER PRIMARY KEY);\nCREATE TABLE step_three (id INTEGER PRIMARY KEY);\n");
        assertThatThrownBy(() -> migrator().migrate()).isInstanceOfSatisfying(SwitchbackException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.VERIFICATION);
            assertThat(e.getMessage()).contains("statement 1");
        });

        // fixing the failed statement resumes there: step_one is not created twice
        write("001_steps.sql", "-- switchback:no-transaction\nCREATE TABLE step_one (id INTEGER PRIMARY KEY);\n"
                + "CREATE TABLE step_missing (id INTEGER PRIMARY KEY);\nCREATE TABLE step_three (id INTEGER PRIMARY KEY);\n");
        MigrateResult r = migrator().migrate();
        assertThat(r.applied()).singleElement().satisfies(s -> assertThat(s.resumed()).isTrue());
        assertThat(db.tableExists("step_three")).isTrue();
        assertThat(migrator().verify().clean()).isTrue();
    }

    @Test
    void editedMigrationBlocksMigrateUntilRevertedOrRepaired() throws Exception {
        threeMigrations();
        migrator().migrate();
        write("001_create_customers.up.sql", "CREATE TABLE customers (id INTEGER PRIMARY KEY, email VARCHAR(200) NOT NULL);\n");
        write("004_next.sql", "CREATE TABLE next_table (id INTEGER PRIMARY KEY);");

        VerifyReport report = migrator().verify();
        assertThat(report.problems()).extracting(Problem::type).containsExactly("checksum_mismatch");
        assertThat(report.diffs().get("001")).contains("-CREATE TABLE customers (id INTEGER PRIMARY KEY, email VARCHAR(100) NOT NULL);")
                .contains("+CREATE TABLE customers (id INTEGER PRIMARY KEY, email VARCHAR(200) NOT NULL);").contains("@@ -1,");
        assertThatThrownBy(() -> migrator().migrate()).isInstanceOfSatisfying(SwitchbackException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.VERIFICATION);
            assertThat(e.getMessage()).contains("001_create_customers.up.sql").contains("repair");
        });
        assertThat(db.tableExists("next_table")).isFalse();

        RepairResult repaired = migrator().repair();
        assertThat(repaired.realigned()).containsExactly("001");
        // the history now holds the edited SQL, but the database still has the column as first applied: that is drift
        assertThat(migrator().verify().problems()).singleElement().satisfies(p -> {
            assertThat(p.type()).isEqualTo(Problem.SCHEMA_DRIFT);
            assertThat(p.message()).startsWith("column customers.email: differs: in the migrations ").contains("200").contains("100");
        });
        assertThat(migrator().migrate().applied()).hasSize(1);
        assertThat(db.count("SELECT COUNT(*) FROM switchback_log WHERE action = 'repair'")).isEqualTo(1);
    }

    @Test
    void verifyFailsOnAColumnDroppedByHandAndDriftSaysHowToPutItBack() throws Exception {
        write("001_flags.sql", "CREATE TABLE flags (id INTEGER PRIMARY KEY, name VARCHAR(50) NOT NULL, description VARCHAR(200));\n"
                + "CREATE INDEX flags_name_idx ON flags (name);\nINSERT INTO flags (id, name) VALUES (1, 'beta');\n");
        migrator().migrate();
        VerifyReport before = migrator().verify();
        assertThat(before.clean()).isTrue();
        assertThat(before.schema().checked()).isTrue();
        assertThat(before.schema().expectedHash()).isEqualTo(before.schema().actualHash());

        db.execute("ALTER TABLE flags DROP COLUMN description");
        VerifyReport after = migrator().verify();
        assertThat(after.clean()).isFalse();
        assertThat(after.problems()).singleElement().satisfies(p -> {
            assertThat(p.type()).isEqualTo(Problem.SCHEMA_DRIFT);
            assertThat(p.message()).startsWith("column flags.description: in the migrations (").endsWith("), not in the database");
        });
        DriftReport drift = migrator().drift();
        assertThat(drift.differences()).hasSize(1);
        assertThat(drift.toMigrations().cannot()).isEmpty();
        for (String sql : drift.toMigrations().statements()) {
            db.execute(sql.replaceAll(";( --.*)?$", ""));
        }
        assertThat(migrator().drift().clean()).isTrue();
        assertThat(migrator().verify().clean()).isTrue();
    }

    @Test
    void aTableMadeByHandIsDriftAndAScriptThatCannotReplayLeavesNoScratchDatabase() throws Exception {
        write("001_flags.sql", "CREATE TABLE flags (id INTEGER PRIMARY KEY);\n");
        migrator().migrate();
        db.execute("CREATE TABLE made_by_hand (id INTEGER PRIMARY KEY)");
        assertThat(migrator().drift().differences()).extracting(d -> d.message()).singleElement().satisfies(m ->
                assertThat(m).startsWith("table made_by_hand: in the database (").endsWith("), not in the migrations"));

        db.execute("UPDATE switchback_history SET up_sql = 'CREATE TABLE flags (id INTEGER PRIMARY KEY);\nCREATE TABLE broken (' "
                + "WHERE version = '001'");
        assertThatThrownBy(() -> migrator().drift(true)).isInstanceOfSatisfying(SwitchbackException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.FAILED);
            assertThat(e.getMessage()).contains("001_flags.sql:2, statement 2").contains("Cannot replay");
        });
        VerifyReport verify = migrator().verify(true);
        assertThat(verify.schema().checked()).isFalse();
        assertThat(verify.schema().unchecked()).contains("Cannot replay").contains("001_flags.sql:2");
        if (!db.kind().equals("sqlite")) {
            String sql = db.kind().equals("postgresql") ? "SELECT COUNT(*) FROM pg_database WHERE datname LIKE 'switchback_tmp_%'"
                    : "SELECT COUNT(*) FROM information_schema.schemata WHERE schema_name LIKE 'switchback_tmp_%'";
            assertThat(db.count(sql)).isZero();
        }
    }

    @Test
    void compareShowsTwoDatabasesOneMigrationApart() throws Exception {
        threeMigrations();
        try (TestDatabase other = newDatabase(tmp)) {
            MigrationConfig otherConfig = migrator().config().withConnection(other.url(), other.user(), other.password());
            migrator().migrate();
            migrator().withConfig(otherConfig.withTarget(Version.parse("001"))).migrate();

            CompareReport report = migrator().compare(otherConfig);
            assertThat(report.clean()).isFalse();
            assertThat(report.history()).containsExactlyInAnyOrder(
                    "002 (create orders): applied in " + report.left() + ", not in " + report.right(),
                    "3 (seed customers): applied in " + report.left() + ", not in " + report.right());
            assertThat(report.schema()).extracting(d -> d.message(report.left(), report.right())).singleElement()
                    .satisfies(m -> assertThat(m).startsWith("table orders: in " + report.left() + " (").endsWith("not in " + report.right()));

            migrator().withConfig(otherConfig).migrate();
            assertThat(migrator().compare(otherConfig).clean()).isTrue();
        }
    }

    @Test
    void afterABaselineTheSchemaIsNotChecked() throws Exception {
        write("001_flags.sql", "CREATE TABLE flags (id INTEGER PRIMARY KEY);\n");
        db.execute("CREATE TABLE flags (id INTEGER PRIMARY KEY)");
        migrator().baseline("001", null);
        VerifyReport report = migrator().verify();
        assertThat(report.clean()).isTrue();
        assertThat(report.schema().unchecked()).contains("baseline");
    }

    @Test
    void crlfAndBomCheckoutIsNotAnEdit() throws Exception {
        threeMigrations();
        migrator().migrate();
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                String text = Files.readString(f).replace("\n", "\r\n");
                Files.write(f, ("\uFEFF" + text).getBytes(StandardCharsets.UTF_8));
            }
        }
        assertThat(migrator().verify().problems()).isEmpty();
        assertThat(migrator().migrate().upToDate()).isTrue();
    }

    @Test
    void missingFileAndOutOfOrderAreReported() throws Exception {
        threeMigrations();
        migrator().migrate();
        Files.delete(dir.resolve("V3__seed_customers.sql"));
        Files.delete(dir.resolve("U3__seed_customers.sql"));
        write("1.5_late.sql", "CREATE TABLE late_table (id INTEGER PRIMARY KEY);");

        VerifyReport report = migrator().verify();
        assertThat(report.problems()).extracting(Problem::type).containsExactlyInAnyOrder("missing_file", "out_of_order");
        assertThatThrownBy(() -> migrator().migrate()).isInstanceOfSatisfying(SwitchbackException.class, e ->
                assertThat(e.getMessage()).contains("out_of_order").contains("outOfOrder"));

        MigrateResult r = config().outOfOrder(true).load().migrate();
        assertThat(r.applied()).extracting(AppliedStep::version).containsExactly("1.5");
        assertThat(r.warnings()).extracting(Problem::type).containsExactly("missing_file");
    }

    @Test
    void rollbackUsesDownSqlFromHistoryWhenFilesAreGone() throws Exception {
        threeMigrations();
        migrator().migrate();
        deleteMigrationFiles();
        RollbackResult dry = migrator().rollback(RollbackRequest.to("0").dryRun(true));
        assertThat(dry.plan()).extracting(RollbackResult.Undo::version).containsExactly("3", "002", "001");
        assertThat(dry.plan()).extracting(RollbackResult.Undo::source).containsOnly("history");
        assertThat(db.count("SELECT COUNT(*) FROM customers")).isEqualTo(2);

        RollbackResult r = migrator().rollback(RollbackRequest.to("0"));
        assertThat(r.undone()).extracting(AppliedStep::version).containsExactly("3", "002", "001");
        assertThat(db.tableExists("customers")).isFalse();
        assertThat(db.tableExists("orders")).isFalse();
        assertThat(migrator().status().applied()).isEmpty();
        assertThat(db.count("SELECT COUNT(*) FROM switchback_log WHERE action = 'rollback'")).isEqualTo(1);
    }

    @Test
    void rollbackRefusesAnUnterminatedStoredDownBeforeUndoingAnything() throws Exception {
        threeMigrations();
        migrator().migrate();
        deleteMigrationFiles();
        // stored by an earlier version, which did not check
        db.execute("UPDATE " + migrator().config().table() + " SET down_sql = 'DROP TABLE customers; /* open' WHERE version = '001'");
        assertThatThrownBy(() -> migrator().rollback(RollbackRequest.to("0"))).isInstanceOfSatisfying(SwitchbackException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.CONFIG);
            assertThat(e.getMessage()).contains("down SQL of 001 (history):1: unterminated /* comment");
        });
        assertThat(db.count("SELECT COUNT(*) FROM customers")).isEqualTo(2);
        assertThat(migrator().status().applied()).hasSize(3);
    }

    @Test
    void rollbackStepsAndVersionUndoOnlyTheNewest() throws Exception {
        threeMigrations();
        migrator().migrate();
        assertThatThrownBy(() -> migrator().rollback(RollbackRequest.version("002"))).isInstanceOfSatisfying(
                SwitchbackException.class, e -> assertThat(e.getMessage()).contains("not the newest"));
        migrator().rollback(RollbackRequest.version("3"));
        assertThat(db.count("SELECT COUNT(*) FROM customers")).isZero();
        migrator().rollback(RollbackRequest.steps(1));
        assertThat(db.tableExists("orders")).isFalse();
        assertThat(migrator().status().current()).isEqualTo("001");
        // and forward again
        assertThat(migrator().migrate().applied()).extracting(AppliedStep::version).containsExactly("002", "3");
    }

    @Test
    void rollbackWithoutDownIsRefusedBeforeAnythingIsUndone() throws Exception {
        threeMigrations();
        write("004_no_down.sql", "CREATE TABLE no_down (id INTEGER PRIMARY KEY);");
        migrator().migrate();
        assertThatThrownBy(() -> migrator().rollback(RollbackRequest.to("001"))).isInstanceOfSatisfying(SwitchbackException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.UNSAFE);
            assertThat(e.getMessage()).contains("004").contains("restore the backup").contains("corrective forward migration");
        });
        assertThat(db.tableExists("no_down")).isTrue();
        assertThat(db.count("SELECT COUNT(*) FROM customers")).isEqualTo(2);
        assertThat(migrator().status().applied()).hasSize(4);
    }

    /** A quoted name as this database writes it: backticks on MariaDB/MySQL, double quotes elsewhere. */
    String quote() {
        return db.kind().equals("mariadb") ? "`" : "\"";
    }

    @Test
    void unterminatedCommentStringOrQuotedNameIsRefusedNamingFileAndLine() throws Exception {
        write("001_first.sql", "CREATE TABLE first_table (id INTEGER PRIMARY KEY);\n");
        // the comment used to swallow the CREATE TABLE after it, and the migration was recorded as applied
        write("002_open.sql", "CREATE TABLE kept (id INTEGER PRIMARY KEY);\n/* forgot to close this\n"
                + "CREATE TABLE swallowed (id INTEGER PRIMARY KEY);\n");
        assertThatThrownBy(() -> migrator().migrate()).isInstanceOfSatisfying(SwitchbackException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.CONFIG);
            assertThat(e.getMessage()).contains("002_open.sql:2: unterminated /* comment");
        });
        assertThat(db.tableExists("first_table")).isFalse(); // refused before anything ran
        assertThatThrownBy(() -> migrator().verify()).isInstanceOfSatisfying(SwitchbackException.class,
                e -> assertThat(e.getMessage()).contains("002_open.sql:2: unterminated /* comment"));

        String q = quote();
        Map<String, String> cases = Map.of(
                "INSERT INTO kept VALUES (1);\n\nINSERT INTO kept VALUES (2), (3);\nSELECT 'it''s open;\nCREATE TABLE swallowed (id INTEGER);\n",
                "002_open.sql:4: unterminated string",
                "CREATE TABLE kept (id INTEGER PRIMARY KEY);\nSELECT " + q + "open name FROM kept;\nCREATE TABLE swallowed (id INTEGER);\n",
                "002_open.sql:2: unterminated quoted identifier");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            write("002_open.sql", c.getKey());
            assertThatThrownBy(() -> migrator().migrate()).isInstanceOfSatisfying(SwitchbackException.class, e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.CONFIG);
                assertThat(e.getMessage()).contains(c.getValue());
            });
        }
        // a down script runs in production too
        write("002_open.sql", "CREATE TABLE kept (id INTEGER PRIMARY KEY);\n");
        write("002_open.down.sql", "DROP TABLE kept; /* open\n");
        assertThatThrownBy(() -> migrator().migrate()).hasMessageContaining("002_open.down.sql:1: unterminated /* comment");
        Files.delete(dir.resolve("002_open.down.sql"));
        assertThat(migrator().migrate().applied()).hasSize(2);
    }

    @Test
    void invalidUtf8IsRefusedWithItsByteOffset() throws Exception {
        String before = "CREATE TABLE cafe (name VARCHAR(20));\nINSERT INTO cafe VALUES ('caf";
        byte[] latin1 = (before + "\u00e9');\n").getBytes(StandardCharsets.ISO_8859_1);
        Files.write(dir.resolve("001_latin1.sql"), latin1);
        assertThatThrownBy(() -> migrator().migrate()).isInstanceOfSatisfying(SwitchbackException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.CONFIG);
            assertThat(e.getMessage()).contains("001_latin1.sql: not valid UTF-8 at byte offset " + before.length() + " (line 2");
        });
        assertThat(db.tableExists("cafe")).isFalse();
        assertThatThrownBy(() -> migrator().verify()).hasMessageContaining("001_latin1.sql: not valid UTF-8");

        Files.write(dir.resolve("001_latin1.sql"), (before + "\u00e9');\n").getBytes(StandardCharsets.UTF_8));
        migrator().migrate();
        assertThat(db.count("SELECT COUNT(*) FROM cafe WHERE name = 'caf\u00e9'")).isEqualTo(1);
        // an edit to bytes that do not decode is never a clean verify
        Files.write(dir.resolve("001_latin1.sql"), latin1);
        assertThatThrownBy(() -> migrator().verify()).hasMessageContaining("not valid UTF-8 at byte offset " + before.length());
    }

    @Test
    void migrationsInALinkedFolderAreAppliedOnce() throws Exception {
        write("001_first.sql", "CREATE TABLE first_table (id INTEGER PRIMARY KEY);\n");
        Path shared = Files.createDirectories(tmp.resolve("shared"));
        Files.writeString(shared.resolve("002_shared.sql"), "CREATE TABLE shared_table (id INTEGER PRIMARY KEY);\n");
        Files.createSymbolicLink(dir.resolve("shared"), shared);
        Files.createSymbolicLink(shared.resolve("again"), shared); // a loop
        Files.createSymbolicLink(dir.resolve("also_shared"), shared); // the same folder twice
        MigrateResult r = migrator().migrate();
        assertThat(r.applied()).extracting(AppliedStep::version).containsExactly("001", "002");
        assertThat(r.applied().get(1).script()).endsWith("shared/002_shared.sql");
        assertThat(db.tableExists("shared_table")).isTrue();
        Files.writeString(shared.resolve("003_later.sql"), "CREATE TABLE later_table (id INTEGER PRIMARY KEY);\n");
        assertThat(migrator().migrate().applied()).extracting(AppliedStep::version).containsExactly("003");

        // a name that looks like a migration but is not exactly one is a problem, never ignored
        write("V4__upper.SQL", "CREATE TABLE upper_table (id INTEGER PRIMARY KEY);\n");
        write("005_direction.DOWN.sql", "DROP TABLE later_table;\n");
        assertThatThrownBy(() -> migrator().migrate()).isInstanceOfSatisfying(SwitchbackException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.CONFIG);
            assertThat(e.getMessage()).contains("V4__upper.SQL").contains("005_direction.DOWN.sql");
        });
        assertThat(db.tableExists("later_table")).isTrue();
    }

    @Test
    void journaledFailureCountsTheStatementsDoneRight() throws Exception {
        write("001_steps.sql", "-- switchback:no-transaction\nINSERT INTO step_missing VALUES (1);\n"
                + "CREATE TABLE step_two (id INTEGER PRIMARY KEY);\nINSERT INTO step_missing VALUES (3);\n");
        assertThatThrownBy(() -> migrator().migrate()).isInstanceOfSatisfying(SwitchbackException.class, e ->
                assertThat(e.getMessage()).contains("001_steps.sql:2, statement 1").contains("no statement is done")
                        .contains("resume at statement 1.").doesNotContain("1..0"));
        write("001_steps.sql", "-- switchback:no-transaction\nCREATE TABLE step_missing (id INTEGER PRIMARY KEY);\n"
                + "CREATE TABLE step_two (id INTEGER PRIMARY KEY);\nINSERT INTO step_absent VALUES (3);\n");
        assertThatThrownBy(() -> migrator().migrate()).isInstanceOfSatisfying(SwitchbackException.class, e ->
                assertThat(e.getMessage()).contains("statement 3").contains("statements 1..2 are done")
                        .contains("resume at statement 3."));
        write("001_steps.sql", "-- switchback:no-transaction\nCREATE TABLE step_missing (id INTEGER PRIMARY KEY);\n"
                + "CREATE TABLE step_two (id INTEGER PRIMARY KEY);\nINSERT INTO step_missing VALUES (3);\n");
        write("001_steps.down.sql", "-- switchback:no-transaction\nDROP TABLE step_two;\nDROP TABLE step_absent;\n");
        write("002_one.sql", "-- switchback:no-transaction\nCREATE TABLE one_done (id INTEGER PRIMARY KEY);\n"
                + "INSERT INTO one_missing VALUES (1);\n");
        assertThatThrownBy(() -> migrator().migrate()).isInstanceOfSatisfying(SwitchbackException.class, e ->
                assertThat(e.getMessage()).contains("002_one.sql:3, statement 2").contains("statement 1 is done")
                        .doesNotContain("1..1"));
        Files.delete(dir.resolve("002_one.sql"));
        db.execute("DELETE FROM " + migrator().config().table() + " WHERE version = '002'");
        assertThatThrownBy(() -> migrator().rollback(RollbackRequest.steps(1))).isInstanceOfSatisfying(SwitchbackException.class, e ->
                assertThat(e.getMessage()).contains("001_steps.down.sql:3, statement 2").contains("Statement 1 of the down SQL ran")
                        .doesNotContain("1..1"));
    }

    @Test
    void baselineSkipsMigrationsUpToItsVersion() throws Exception {
        threeMigrations();
        db.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, email VARCHAR(100) NOT NULL)");
        migrator().baseline("001", null);
        MigrateResult r = migrator().migrate();
        assertThat(r.applied()).extracting(AppliedStep::version).containsExactly("002", "3");
        assertThatThrownBy(() -> migrator().baseline("5", null)).isInstanceOfSatisfying(SwitchbackException.class, e ->
                assertThat(e.getMessage()).contains("already has"));
    }

    @Test
    void unlockShowsTheHolderAndForceClearsTheRecord() throws Exception {
        threeMigrations();
        migrator().migrate();
        assertThat(migrator().unlock(false).message()).contains("free");
        try (MigrationLock held = heldLock()) {
            UnlockResult shown = migrator().unlock(false);
            assertThat(shown.live()).isTrue();
            assertThat(shown.holder()).contains("pid " + ProcessHandle.current().pid());
            UnlockResult forced = migrator().unlock(true);
            assertThat(forced.cleared()).isTrue();
            if (db.kind().equals("sqlite")) {
                assertThat(migrator().status().lock()).isNull();
            } else {
                assertThat(forced.message()).contains("dies with it");
            }
        }
        assertThat(db.count("SELECT COUNT(*) FROM switchback_log WHERE action = 'unlock'")).isEqualTo(1);
    }

    @Test
    void parallelThreadsApplyEachMigrationOnce() throws Exception {
        threeMigrations();
        List<Thread> threads = new ArrayList<>();
        List<Throwable> errors = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Integer> appliedCounts = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < 6; i++) {
            Thread t = new Thread(() -> {
                try {
                    appliedCounts.add(migrator().migrate().applied().size());
                } catch (Throwable e) {
                    errors.add(e);
                }
            });
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join(60_000);
        }
        assertThat(errors).isEmpty();
        assertThat(appliedCounts).hasSize(6);
        assertThat(appliedCounts.stream().mapToInt(Integer::intValue).sum()).isEqualTo(3);
        assertThat(db.count("SELECT COUNT(*) FROM customers")).isEqualTo(2);
        assertThat(db.count("SELECT COUNT(*) FROM switchback_history")).isEqualTo(3);
    }

    @Test
    void sixteenProcessesMigrateTheSameDatabaseOnce() throws Exception {
        for (int i = 1; i <= 8; i++) {
            write(String.format("%03d_table_%d.sql", i, i), "CREATE TABLE t" + i + " (id INTEGER);\n"
                    + "INSERT INTO t" + i + " (id) VALUES (" + i + ");\n");
        }
        List<Process> processes = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            processes.add(MigrateMain.command(db, dir, 5000).redirectErrorStream(true).start());
        }
        int totalApplied = 0;
        for (Process p : processes) {
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(180, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(output).isZero();
            totalApplied += Integer.parseInt(output.replaceAll("(?s).*applied=(\\d+).*", "$1"));
        }
        assertThat(totalApplied).isEqualTo(8);
        assertThat(db.count("SELECT COUNT(*) FROM switchback_history")).isEqualTo(8);
        assertThat(db.count("SELECT COUNT(DISTINCT version) FROM switchback_history WHERE state = 'success'")).isEqualTo(8);
        for (int i = 1; i <= 8; i++) {
            assertThat(db.count("SELECT COUNT(*) FROM t" + i)).isEqualTo(1);
        }
    }

    @Test
    void killedMigratorIsRecoveredByTheNextRun() throws Exception {
        db.execute("CREATE TABLE slow_control (n INTEGER)");
        db.execute("INSERT INTO slow_control VALUES (20)");
        write("001_first.sql", "CREATE TABLE before_slow (id INTEGER PRIMARY KEY);");
        write("002_slow.sql", db.slowStatement() + ";\nCREATE TABLE after_slow (id INTEGER PRIMARY KEY);\n");
        Process p = MigrateMain.command(db, dir, 2000).redirectErrorStream(true)
                .redirectOutput(tmp.resolve("killed.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!(db.tableExists("before_slow") && migrator().status().lock() != null)) {
            assertThat(System.nanoTime()).as("the migrator never reached the slow statement: " + Files.readString(tmp.resolve("killed.log")))
                    .isLessThan(deadline);
            assertThat(p.isAlive()).as(Files.readString(tmp.resolve("killed.log"))).isTrue();
            Thread.sleep(100);
        }
        Thread.sleep(500);
        p.destroyForcibly(); // SIGKILL
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        db.execute("UPDATE slow_control SET n = 0");

        MigrateResult r = migrator().migrate();
        assertThat(r.to()).isEqualTo("002");
        assertThat(db.tableExists("after_slow")).isTrue();
        assertThat(migrator().status().applied()).extracting(StatusReport.Applied::state).containsExactly("success", "success");
        assertThat(migrator().status().lock()).isNull();
    }

    @Test
    void startupApiHonoursSkipAndDryRunFromTheEnvironment() throws Exception {
        threeMigrations();
        MigrateResult skipped = config().environment(Map.of("AUTO_MIGRATE", "false")).load().migrate();
        assertThat(skipped.skipped()).isTrue();
        MigrateResult dry = config().environment(Map.of("MIGRATION_DRY_RUN", "true")).load().migrate();
        assertThat(dry.dryRun()).isTrue();
        assertThat(db.tableExists("customers")).isFalse();
        MigrateResult bypass = config().environment(Map.of("SWITCHBACK_SKIP_MIGRATIONS", "true")).load().migrate();
        assertThat(bypass.skipped()).isTrue();
        assertThat(config().environment(Map.of("AUTO_MIGRATE", "true")).load().migrate().applied()).hasSize(3);
    }

    @Test
    void startupApiAcceptsAnApplicationDataSource() throws Exception {
        threeMigrations();
        javax.sql.DataSource ds = new SimpleDataSource(db);
        MigrateResult r = Switchback.configure().dataSource(ds).locations(dir.toString()).environment(Map.of())
                .lockLease(Duration.ofSeconds(2)).load().migrate();
        assertThat(r.applied()).hasSize(3);
        assertThat(r.database()).isEqualTo("(application DataSource)");
    }

    /** 1,000 migrations whose last one fails (or, with {@code fixed}, creates its table too). */
    private void thousandMigrations(boolean fixed) throws IOException {
        for (int i = 1; i < 1000; i++) {
            write(String.format("%05d_t%d.sql", i, i), "CREATE TABLE t" + i + " (id INTEGER);\n");
        }
        write("01000_t1000.sql", "CREATE TABLE t1000 (id INTEGER PRIMARY KEY);\n"
                + (fixed ? "INSERT INTO t1000 (id) VALUES (1);\n" : "INSERT INTO no_such_table (id) VALUES (1);\n"));
    }

    @Test
    void aGroupIsOneTransactionThatAFailureInItsThousandthMigrationRollsBackEntirely() throws Exception {
        thousandMigrations(false);
        if (db.kind().equals("mariadb")) { // DDL commits by itself there: refused before anything runs
            assertThatThrownBy(() -> migrator().inOneTransaction().migrate()).isInstanceOfSatisfying(SwitchbackException.class, e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.CONFIG);
                assertThat(e.getMessage()).contains("--group").contains("Nothing was applied");
            });
            assertThat(db.tableExists("t1")).isFalse();
            return;
        }
        assertThatThrownBy(() -> migrator().inOneTransaction().migrate()).isInstanceOfSatisfying(SwitchbackException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.FAILED);
            assertThat(e.getMessage()).contains("Migration 01000 failed at ").contains("01000_t1000.sql:2, statement 2")
                    .contains("The group was rolled back: none of its 1000 migrations is applied (999 ran before this one)");
        });
        assertThat(db.tableExists("t1")).isFalse();
        assertThat(db.tableExists("t999")).isFalse();
        assertThat(db.tableExists("t1000")).isFalse();
        assertThat(db.count("SELECT COUNT(*) FROM switchback_history WHERE state <> 'failed'")).isZero();
        assertThat(migrator().status().applied()).extracting(StatusReport.Applied::version).containsExactly("01000");

        thousandMigrations(true);
        List<String> printed = new ArrayList<>();
        MigrateResult r = config().listener(new MigrationListener() {
            @Override
            public void applied(AppliedStep s) {
                printed.add(s.version());
            }
        }).load().inOneTransaction().migrate();
        assertThat(r.applied()).hasSize(1000);
        assertThat(printed).hasSize(1000).startsWith("00001").endsWith("01000");
        assertThat(db.count("SELECT COUNT(*) FROM t1000")).isEqualTo(1);
        assertThat(db.count("SELECT COUNT(*) FROM switchback_history WHERE state = 'success'")).isEqualTo(1000);
        StatusReport status = migrator().status();
        assertThat(status.pending()).isEmpty();
        assertThat(status.problems()).isEmpty();
        assertThat(status.current()).isEqualTo("01000");
    }

    @Test
    void aGroupRefusesANoTransactionMigrationBeforeApplyingAnything() throws Exception {
        write("001_a.sql", "CREATE TABLE a (id INTEGER PRIMARY KEY);\n");
        write("002_b.sql", "-- switchback:no-transaction\nCREATE TABLE b (id INTEGER PRIMARY KEY);\n");
        assertThatThrownBy(() -> migrator().inOneTransaction().migrate()).isInstanceOfSatisfying(SwitchbackException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.CONFIG);
            assertThat(e.getMessage()).contains("Nothing was applied");
            if (!db.kind().equals("mariadb")) {
                assertThat(e.getMessage()).contains("which these cannot join: 002 (").contains("002_b.sql, no-transaction)");
            }
        });
        assertThat(db.tableExists("a")).isFalse();
    }
}

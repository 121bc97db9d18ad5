package dev.switchback.migration.lint;

import dev.switchback.migration.ErrorCode;
import dev.switchback.migration.Migrator;
import dev.switchback.migration.SwitchbackException;
import dev.switchback.migration.Switchback;
import dev.switchback.migration.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * lint --rehearse on the real PostgreSQL: the locks and rewrites the rules claim, observed in pg_locks and pg_class on a
 * schema-only copy that is dropped afterwards, also when something fails.
 */
class RehearsalIT {
    private static final String BASE = """
            CREATE TABLE customers (id bigint PRIMARY KEY, email varchar(200) NOT NULL, name varchar(100));
            CREATE TABLE orders (id integer PRIMARY KEY, customer_id bigint NOT NULL, note text, placed_at timestamptz);
            CREATE INDEX orders_customer_idx ON orders (customer_id);
            INSERT INTO customers VALUES (1, 'a@example.com', 'A');
            INSERT INTO orders VALUES (1, 1, 'first', now());
            """;

    @TempDir
    Path dir;
    TestDatabase db;

    @BeforeEach
    void migrateTheBase() throws IOException {
        db = TestDatabase.postgres();
        write("001_base.sql", BASE);
        migrator(LintConfig.DEFAULT).migrate();
    }

    @AfterEach
    void dropTheDatabase() {
        db.close();
    }

    private void write(String name, String sql) throws IOException {
        Files.writeString(dir.resolve(name), sql);
    }

    private Migrator migrator(LintConfig lint) {
        return Switchback.configure().url(db.url()).user(db.user()).baseDir(dir).locations(".").environment(Map.of())
                .load().withLint(lint);
    }

    private RehearsalReport rehearse(LintConfig lint) {
        Migrator m = migrator(lint);
        return new Rehearsal(m.config(), lint, "pg_dump", "psql").run(m, null);
    }

    private static RehearsalReport.Statement statement(RehearsalReport r, String script, int number) {
        return r.migrations().stream().filter(m -> m.script().equals(script)).findFirst().orElseThrow()
                .statements().get(number - 1);
    }

    private long databasesNamed(String name) {
        try (TestDatabase admin = new AdminView()) {
            return admin.count("SELECT count(*) FROM pg_database WHERE datname = '" + name + "'");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String scratchName(String scratch) {
        return scratch.substring(scratch.lastIndexOf('/') + 1);
    }

    @Test
    void createIndexTakesAShareLockAndRewritesNothing() throws Exception {
        write("002_index.sql", "CREATE INDEX orders_placed_idx ON orders (placed_at);\n");
        RehearsalReport r = rehearse(LintConfig.DEFAULT);
        RehearsalReport.Statement s = statement(r, "002_index.sql", 1);
        assertThat(s.locks()).containsExactly(new RelationLock("orders", "ShareLock"));
        assertThat(s.tableRewritten()).isFalse();
        assertThat(s.findings()).containsExactly("create-index-blocking");
        assertThat(s.disagreements()).isEmpty();
        assertThat(r.scratchDropped()).isTrue();
        assertThat(databasesNamed(scratchName(r.scratch()))).isZero();
        assertThat(db.count("SELECT count(*) FROM pg_indexes WHERE indexname = 'orders_placed_idx'"))
                .as("the target is never changed").isZero();
    }

    @Test
    void addColumnWithAConstantOrNowDefaultKeepsTheTableButClockTimestampRewritesIt() throws IOException {
        write("002_defaults.sql", """
                ALTER TABLE orders ADD COLUMN currency char(3) NOT NULL DEFAULT 'EUR';
                ALTER TABLE orders ADD COLUMN seen_at timestamptz DEFAULT now();
                ALTER TABLE orders ADD COLUMN received_at timestamptz DEFAULT clock_timestamp();
                """);
        RehearsalReport r = rehearse(LintConfig.DEFAULT);
        assertThat(r.serverVersion()).as("metadata-only defaults need PostgreSQL 11+").isGreaterThanOrEqualTo(11);
        RehearsalReport.Statement constant = statement(r, "002_defaults.sql", 1);
        RehearsalReport.Statement now = statement(r, "002_defaults.sql", 2);
        RehearsalReport.Statement clock = statement(r, "002_defaults.sql", 3);
        assertThat(constant.locks()).containsExactly(new RelationLock("orders", "AccessExclusiveLock"));
        assertThat(constant.tableRewritten()).isFalse();
        assertThat(now.tableRewritten()).isFalse();
        assertThat(now.alreadyHeld()).containsExactly(new RelationLock("orders", "AccessExclusiveLock"));
        assertThat(clock.tableRewritten()).isTrue();
        assertThat(clock.rewritten()).contains("orders", "orders_pkey (index)");
        assertThat(clock.findings()).containsExactly("add-column-rewrite");
        assertThat(List.of(constant, now, clock)).allSatisfy(s -> assertThat(s.disagreements()).isEmpty());
    }

    @Test
    void alterColumnTypeIntToBigintRewritesButVarcharWideningDoesNot() throws IOException {
        write("002_types.sql", """
                ALTER TABLE orders ALTER COLUMN id TYPE bigint;
                ALTER TABLE customers ALTER COLUMN name TYPE varchar(200);
                ALTER TABLE customers ALTER COLUMN email TYPE text;
                ALTER TABLE customers ALTER COLUMN name TYPE text USING name::text;
                """);
        RehearsalReport r = rehearse(LintConfig.DEFAULT);
        RehearsalReport.Statement toBigint = statement(r, "002_types.sql", 1);
        assertThat(toBigint.locks()).contains(new RelationLock("orders", "AccessExclusiveLock"));
        assertThat(toBigint.tableRewritten()).isTrue();
        assertThat(toBigint.findings()).containsExactly("change-column-type");
        assertThat(statement(r, "002_types.sql", 2).tableRewritten()).isFalse();
        assertThat(statement(r, "002_types.sql", 3).tableRewritten()).isFalse();
        assertThat(statement(r, "002_types.sql", 4).tableRewritten()).as("USING col::type is a relabel").isFalse();
        assertThat(r.migrations().get(0).statements()).allSatisfy(s -> assertThat(s.disagreements()).isEmpty());
    }

    @Test
    void theLockLevelsLintClaimsAreTheOnesPostgresTakes() throws IOException {
        write("002_constraints.sql", """
                ALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id) NOT VALID;
                ALTER TABLE orders ADD CONSTRAINT orders_note_nn CHECK (note IS NOT NULL) NOT VALID;
                """);
        write("003_validate.sql", """
                ALTER TABLE orders VALIDATE CONSTRAINT orders_customer_fk;
                ALTER TABLE orders VALIDATE CONSTRAINT orders_note_nn;
                """);
        write("004_more.sql", """
                ALTER TABLE orders ALTER COLUMN note SET NOT NULL;
                CREATE TRIGGER orders_touch BEFORE UPDATE ON orders FOR EACH ROW EXECUTE FUNCTION suppress_redundant_updates_trigger();
                CREATE TABLE refunds (id bigint PRIMARY KEY, order_id integer REFERENCES orders (id));
                ALTER TABLE orders SET (fillfactor = 80);
                UPDATE orders SET note = 'x' WHERE id = 1;
                """);
        write("005_drop_index.sql", "DROP INDEX orders_customer_idx;\nTRUNCATE refunds;\n");
        RehearsalReport r = rehearse(LintConfig.DEFAULT);
        assertThat(statement(r, "002_constraints.sql", 1).locks()).contains(new RelationLock("orders", "ShareRowExclusiveLock"),
                new RelationLock("customers", "ShareRowExclusiveLock"));
        assertThat(statement(r, "003_validate.sql", 1).locks()).contains(new RelationLock("orders", "ShareUpdateExclusiveLock"))
                .doesNotContain(new RelationLock("orders", "AccessExclusiveLock"));
        assertThat(statement(r, "004_more.sql", 2).locks()).containsExactly(new RelationLock("orders", "ShareRowExclusiveLock"));
        assertThat(statement(r, "004_more.sql", 3).alreadyHeld()).as("the trigger took it one statement earlier")
                .containsExactly(new RelationLock("orders", "ShareRowExclusiveLock"));
        assertThat(statement(r, "004_more.sql", 4).locks()).containsExactly(new RelationLock("orders", "ShareUpdateExclusiveLock"));
        assertThat(statement(r, "005_drop_index.sql", 1).locks()).containsExactlyInAnyOrder(
                new RelationLock("orders", "AccessExclusiveLock"), new RelationLock("orders_customer_idx", "AccessExclusiveLock"));
        assertThat(statement(r, "005_drop_index.sql", 2).tableRewritten()).as("TRUNCATE gives new storage").isTrue();
        assertThat(r.disagreements()).as(r.toString()).isZero();
        assertThat(r.failed()).isFalse();
    }

    @Test
    void aWrongPostgresVersionShowsUpAsADisagreement() throws IOException {
        write("002_default.sql", "ALTER TABLE orders ADD COLUMN region text DEFAULT 'eu';\n");
        LintConfig pg10 = LintConfig.from(Map.of(LintSetting.PG_VERSION, "10"));
        RehearsalReport.Statement s = statement(rehearse(pg10), "002_default.sql", 1);
        assertThat(s.findings()).containsExactly("add-column-rewrite");
        assertThat(s.disagreements()).containsExactly("lint expected a table rewrite, none was observed");
        assertThat(s.observed()).endsWith("Differs from lint: lint expected a table rewrite, none was observed");
    }

    @Test
    void aStatementLintCannotReadIsObservedWithoutAClaim() throws IOException {
        write("002_do.sql", "DO $$ BEGIN EXECUTE 'CREATE INDEX orders_note_idx ON orders (note)'; END $$;\n");
        RehearsalReport.Statement s = statement(rehearse(LintConfig.DEFAULT), "002_do.sql", 1);
        assertThat(s.findings()).containsExactly("unverified-statement");
        assertThat(s.locks()).containsExactly(new RelationLock("orders", "ShareLock"));
        assertThat(s.disagreements()).isEmpty();
    }

    @Test
    void migrationsOutsideATransactionAreListedAsNotRehearsableAndLaterOnesStillRun() throws IOException {
        write("002_concurrently.sql", "-- switchback:no-transaction\nCREATE INDEX CONCURRENTLY orders_note_idx ON orders (note);\n");
        write("003_use_it.sql", "ALTER INDEX orders_note_idx RENAME TO orders_note_index;\n");
        RehearsalReport r = rehearse(LintConfig.DEFAULT);
        assertThat(r.migrations()).extracting(RehearsalReport.Migration::script, RehearsalReport.Migration::rehearsed)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("002_concurrently.sql", false),
                        org.assertj.core.groups.Tuple.tuple("003_use_it.sql", true));
        assertThat(r.migrations().get(0).note()).contains("not rehearsable").contains("no-transaction");
        assertThat(r.migrations().get(1).failed()).as("002 was applied to the scratch database first").isFalse();
    }

    @Test
    void aFailingMigrationIsReportedAndTheScratchDatabaseIsStillDropped() throws Exception {
        write("002_broken.sql", "ALTER TABLE orders ADD COLUMN x int;\nALTER TABLE missing_table ADD COLUMN y int;\n");
        RehearsalReport r = rehearse(LintConfig.DEFAULT);
        assertThat(r.failed()).isTrue();
        RehearsalReport.Migration m = r.migrations().get(0);
        assertThat(m.note()).contains("stopped at statement 2").contains("missing_table").contains("42P01");
        assertThat(m.statements().get(1).error()).contains("42P01");
        assertThat(r.scratchDropped()).isTrue();
        assertThat(databasesNamed(scratchName(r.scratch()))).isZero();
        assertThat(db.count("SELECT count(*) FROM information_schema.columns WHERE column_name = 'x'")).isZero();
    }

    @Test
    void whenTheSchemaCopyFailsTheScratchDatabaseIsDroppedToo() throws IOException {
        write("002_index.sql", "CREATE INDEX orders_placed_idx ON orders (placed_at);\n");
        Path failingPsql = dir.resolve("psql-that-fails");
        Files.writeString(failingPsql, "#!/bin/sh\necho 'psql: simulated failure' >&2\nexit 3\n");
        Files.setPosixFilePermissions(failingPsql, PosixFilePermissions.fromString("rwx------"));
        Migrator m = migrator(LintConfig.DEFAULT);
        assertThatThrownBy(() -> new Rehearsal(m.config(), LintConfig.DEFAULT, "pg_dump", failingPsql.toString()).run(m, null))
                .isInstanceOfSatisfying(SwitchbackException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.FAILED);
                    assertThat(e.getMessage()).contains("failed (exit 3)").contains("simulated failure");
                    Matcher name = Pattern.compile("switchback_rehearsal_[0-9a-f]+").matcher(e.getMessage());
                    assertThat(name.find()).isTrue();
                    assertThat(databasesNamed(name.group())).isZero();
                });
    }

    @Test
    void aGivenScratchDatabaseIsUsedAndNeverDropped() throws Exception {
        write("002_index.sql", "CREATE INDEX orders_placed_idx ON orders (placed_at);\n");
        try (TestDatabase scratch = TestDatabase.postgres()) {
            for (String sql : BASE.split(";\n")) {
                if (!sql.isBlank()) {
                    scratch.execute(sql);
                }
            }
            Migrator m = migrator(LintConfig.DEFAULT);
            RehearsalReport r = new Rehearsal(m.config(), LintConfig.DEFAULT, "pg_dump", "psql").run(m, scratch.url());
            assertThat(r.scratchDropped()).isFalse();
            assertThat(r.scratch()).endsWith(scratchName(scratch.url()));
            assertThat(statement(r, "002_index.sql", 1).locks()).containsExactly(new RelationLock("orders", "ShareLock"));
            assertThat(scratch.count("SELECT count(*) FROM pg_indexes WHERE indexname = 'orders_placed_idx'"))
                    .as("the observation was rolled back").isZero();
        }
    }

    /** The admin database, for looking at pg_database. */
    private static final class AdminView extends TestDatabase {
        public String kind() {
            return "postgresql";
        }

        public String url() {
            return PG_ADMIN;
        }

        public String user() {
            return "postgres";
        }

        public String slowStatement() {
            return "SELECT 1";
        }

        public void close() {
            // the admin database stays
        }
    }
}

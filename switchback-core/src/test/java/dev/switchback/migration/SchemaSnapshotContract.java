package dev.switchback.migration;

import dev.switchback.migration.testing.OneDatabaseTest;
import dev.switchback.migration.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The schema snapshot taken at migrate time, for every dialect; each subclass only supplies the database. */
abstract class SchemaSnapshotContract extends OneDatabaseTest {
    Migrator migrator() {
        return Switchback.configure().url(db.url()).user(db.user()).password(db.password()).locations(dir.toString())
                .environment(Map.of()).lockTimeout(Duration.ofSeconds(30)).lockLease(Duration.ofSeconds(2)).load();
    }

    /** Extra objects of the dialect's own kinds (functions, triggers, enums...) for the every-kind migration. */
    abstract String dialectObjects();

    /** What undoes {@link #dialectObjects()} before the table goes. */
    abstract String dialectDown();

    void write(String name, String sql) throws IOException {
        Files.writeString(dir.resolve(name), sql);
    }

    void twoMigrations() throws IOException {
        write("001_customers.up.sql", "CREATE TABLE customers (id INTEGER PRIMARY KEY, email VARCHAR(100) NOT NULL UNIQUE);\n");
        write("001_customers.down.sql", "DROP TABLE customers;\n");
        write("002_orders.up.sql", "CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL, "
                + "total INTEGER NOT NULL, CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id), "
                + "CONSTRAINT orders_total_positive CHECK (total >= 0));\nCREATE INDEX orders_customer ON orders (customer_id);\n"
                + "CREATE VIEW big_orders AS SELECT id, total FROM orders WHERE total > 100;\n" + dialectObjects());
        write("002_orders.down.sql", "DROP VIEW big_orders;\n" + dialectDown() + "DROP TABLE orders;\n");
    }

    long snapshots() throws Exception {
        return db.count("SELECT COUNT(*) FROM switchback_schema");
    }

    @Test
    void migrateTakesOneSnapshotAndTheUpToDatePathNone() throws Exception {
        twoMigrations();
        migrator().migrate();
        assertThat(snapshots()).isEqualTo(1);
        assertThat(db.count("SELECT COUNT(*) FROM switchback_schema WHERE version = '002' AND schema_text IS NOT NULL")).isEqualTo(1);
        migrator().migrate();
        assertThat(snapshots()).isEqualTo(1);

        DriftReport drift = migrator().drift();
        assertThat(drift.expectedFrom()).isEqualTo(DriftReport.FROM_SNAPSHOT);
        assertThat(drift.clean()).isTrue();
        // replay and snapshot agree on a schema with every kind of object the dialect has
        DriftReport replayed = migrator().drift(true);
        assertThat(replayed.expectedFrom()).isEqualTo(DriftReport.FROM_REPLAY);
        assertThat(replayed.expectedHash()).isEqualTo(drift.expectedHash());
        assertThat(migrator().status().schema()).isEqualTo(new StatusReport.SchemaState("002", drift.expectedHash(), false));
    }

    @Test
    void anOutOfBandChangeIsDriftByTheSnapshotInDriftVerifyAndStatus() throws Exception {
        twoMigrations();
        migrator().migrate();
        db.execute("CREATE INDEX orders_total_tmp ON orders (total)");
        DriftReport drift = migrator().drift();
        assertThat(drift.expectedFrom()).isEqualTo(DriftReport.FROM_SNAPSHOT);
        assertThat(drift.differences()).extracting(d -> d.message()).singleElement()
                .satisfies(m -> assertThat(m).startsWith("index orders_total_tmp on orders: in the database ("));
        VerifyReport verify = migrator().verify();
        assertThat(verify.problems()).extracting(Problem::type).containsExactly(Problem.SCHEMA_DRIFT);
        assertThat(verify.schema().expectedFrom()).isEqualTo(DriftReport.FROM_SNAPSHOT);
        assertThat(migrator().status().schema().drift()).isTrue();
        for (String sql : drift.toMigrations().statements()) {
            db.execute(sql.replaceAll(";( --.*)?$", ""));
        }
        assertThat(migrator().drift().clean()).isTrue();
        assertThat(migrator().status().schema().drift()).isFalse();
    }

    @Test
    void rollbackRetakesTheSnapshotAndIsClean() throws Exception {
        twoMigrations();
        migrator().migrate();
        migrator().rollback(RollbackRequest.steps(1));
        assertThat(snapshots()).isEqualTo(2);
        // only the newest snapshot keeps its schema text
        assertThat(db.count("SELECT COUNT(*) FROM switchback_schema WHERE schema_text IS NOT NULL")).isEqualTo(1);
        DriftReport drift = migrator().drift();
        assertThat(drift.expectedFrom()).isEqualTo(DriftReport.FROM_SNAPSHOT);
        assertThat(drift.clean()).isTrue();
        assertThat(drift.expectedHash()).isEqualTo(migrator().drift(true).expectedHash());
        assertThat(migrator().status().schema().version()).isEqualTo("001");
    }

    @Test
    void aRollbackOnADriftedSchemaTakesNoSnapshotSoTheDriftStaysVisible() throws Exception {
        twoMigrations();
        migrator().migrate();
        db.execute("CREATE INDEX customers_email_tmp ON customers (email)");
        migrator().rollback(RollbackRequest.steps(1));
        assertThat(snapshots()).isEqualTo(1);
        DriftReport drift = migrator().drift();
        assertThat(drift.expectedFrom()).isEqualTo(DriftReport.FROM_REPLAY);
        assertThat(drift.differences()).extracting(d -> d.object().label()).containsExactly("index customers_email_tmp on customers");
    }

    @Test
    void aHistoryChangedAfterTheSnapshotIsReplayedNotTrustedToIt() throws Exception {
        twoMigrations();
        migrator().migrate();
        // a row written by hand (or by an older Switchback, a repair) since: the snapshot no longer says what it produces
        db.execute("UPDATE switchback_history SET checksum = 'edited' WHERE version = '002'");
        DriftReport drift = migrator().drift();
        assertThat(drift.expectedFrom()).isEqualTo(DriftReport.FROM_REPLAY);
        assertThat(drift.clean()).isTrue();
        assertThat(migrator().status().schema()).isEqualTo(StatusReport.SchemaState.UNKNOWN);
    }

    @Test
    void aSnapshotReadByAnotherInspectorFormatIsReplayedNotTrustedToIt() throws Exception {
        twoMigrations();
        migrator().migrate();
        assertThat(db.count("SELECT COUNT(*) FROM switchback_schema WHERE history LIKE '% format:1%'")).isEqualTo(1);
        assertThat(migrator().drift().expectedFrom()).isEqualTo(DriftReport.FROM_SNAPSHOT);
        // as a later Switchback whose inspectors read more (format 2) would find a row this one wrote
        db.execute("UPDATE switchback_schema SET history = REPLACE(history, ' format:1', ' format:2')");
        DriftReport drift = migrator().drift();
        assertThat(drift.expectedFrom()).isEqualTo(DriftReport.FROM_REPLAY);
        assertThat(drift.clean()).isTrue();
        assertThat(migrator().status().schema()).isEqualTo(StatusReport.SchemaState.UNKNOWN);
        // a row written before formats were recorded is format 1, the inspectors it was read by
        db.execute("UPDATE switchback_schema SET history = REPLACE(history, ' format:2', '')");
        assertThat(migrator().drift().expectedFrom()).isEqualTo(DriftReport.FROM_SNAPSHOT);
    }

    Migrator migrator(String ignore, String onDrift) {
        return Switchback.configure().url(db.url()).user(db.user()).password(db.password()).locations(dir.toString())
                .environment(Map.of()).lockTimeout(Duration.ofSeconds(30)).lockLease(Duration.ofSeconds(2))
                .set(DriftSetting.IGNORE, ignore).set(DriftSetting.ON_DRIFT, onDrift).load();
    }

    @Test
    void ignoreRulesLeaveObjectsOutOfDriftVerifyAndStatus() throws Exception {
        twoMigrations();
        migrator().migrate();
        db.execute("CREATE TABLE audit_2024 (id INTEGER PRIMARY KEY, what VARCHAR(20))");
        db.execute("CREATE INDEX audit_what ON audit_2024 (what)");
        db.execute("CREATE INDEX orders_total_tmp ON orders (total)");
        assertThat(migrator().drift().differences()).extracting(d -> d.object().label())
                .containsExactlyInAnyOrder("table audit_2024", "index orders_total_tmp on orders");
        Migrator ignoring = migrator("table:audit_*, index:*_tmp", null);
        assertThat(ignoring.drift().clean()).isTrue();
        assertThat(ignoring.drift(true).clean()).isTrue();
        assertThat(ignoring.verify().clean()).isTrue();
        assertThat(ignoring.status().schema().drift()).isFalse();
        // a rule of another kind leaves the index in
        assertThat(migrator("table:audit_*, view:*_tmp", null).drift().differences()).extracting(d -> d.object().label())
                .containsExactly("index orders_total_tmp on orders");
        assertThatThrownBy(() -> migrator("tabel:audit_*", null)).isInstanceOfSatisfying(SwitchbackException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.CONFIG);
            assertThat(e.getMessage()).contains("'tabel:audit_*' names no kind").contains("table");
        });
    }

    @Test
    void onDriftFailRefusesToApplyOnADriftedDatabaseAndWarnAppliesWithoutTakingTheDriftIntoTheSnapshot() throws Exception {
        twoMigrations();
        migrator().migrate();
        db.execute("CREATE INDEX orders_total_tmp ON orders (total)");
        // nothing to apply: no check, no refusal (the up-to-date path never reads the schema)
        assertThat(migrator(null, "fail").migrate().upToDate()).isTrue();

        write("003_notes.sql", "CREATE TABLE notes (id INTEGER PRIMARY KEY);\n");
        assertThatThrownBy(() -> migrator(null, "fail").migrate()).isInstanceOfSatisfying(SwitchbackException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.VERIFICATION);
            assertThat(e.getMessage()).contains("migrations.onDrift: fail").contains("nothing was applied")
                    .contains("index orders_total_tmp on orders: in the database");
        });
        assertThat(db.tableExists("notes")).isFalse();
        // an ignored object is no drift
        assertThat(migrator("index:*_tmp", "fail").withConfig(migrator().config().withDryRun(true)).migrate().dryRun()).isTrue();

        assertThat(migrator(null, "warn").migrate().applied()).hasSize(1);
        assertThat(db.tableExists("notes")).isTrue();
        assertThat(snapshots()).isEqualTo(1);
        DriftReport after = migrator().drift();
        assertThat(after.expectedFrom()).isEqualTo(DriftReport.FROM_REPLAY);
        assertThat(after.differences()).extracting(d -> d.object().label()).containsExactly("index orders_total_tmp on orders");
        assertThatThrownBy(() -> migrator(null, "sometimes")).isInstanceOfSatisfying(SwitchbackException.class,
                e -> assertThat(e.getMessage()).contains("migrations.onDrift is 'sometimes'; use warn or fail"));
    }

    @Test
    void aMigrationFromDriftIsRecordedAsAppliedHereAndReproducesTheDriftedSchemaOnAFreshDatabase() throws Exception {
        twoMigrations();
        migrator().migrate();
        db.execute("ALTER TABLE customers ADD COLUMN phone VARCHAR(30)");
        db.execute("CREATE INDEX customers_phone ON customers (phone)");
        List<Path> files = migrator().newMigrationFromDrift("record hotfix", null, true);
        assertThat(files.get(0).getFileName().toString()).isEqualTo("003_record_hotfix.up.sql");
        assertThat(Files.readString(files.get(0))).contains("phone").doesNotContain("not done");
        assertThat(Files.readString(files.get(1))).contains("DROP");
        // the hand-made change is history here: no drift at once (a fresh snapshot), nothing for migrate to run again
        DriftReport drift = migrator().drift();
        assertThat(drift.expectedFrom()).isEqualTo(DriftReport.FROM_SNAPSHOT);
        assertThat(drift.clean()).isTrue();
        assertThat(db.count("SELECT COUNT(*) FROM switchback_schema WHERE version = '003' AND schema_text IS NOT NULL")).isEqualTo(1);
        assertThat(migrator().migrate().upToDate()).isTrue();
        assertThat(migrator().verify().clean()).isTrue();
        Migration recorded = migrator().migrations().get(2);
        assertThat(db.count("SELECT COUNT(*) FROM switchback_history WHERE version = '003' AND state = 'success' AND checksum = '"
                + recorded.checksum() + "'")).isEqualTo(1);
        assertThat(db.count("SELECT COUNT(*) FROM switchback_log WHERE action = 'recorded-from-drift' AND versions = '003'"))
                .isEqualTo(1);
        try (TestDatabase fresh = newDatabase(tmp)) {
            MigrationConfig freshConfig = migrator().config().withConnection(fresh.url(), fresh.user(), fresh.password());
            assertThat(migrator().withConfig(freshConfig).migrate().applied()).hasSize(3);
            assertThat(migrator().compare(freshConfig).schema()).isEmpty();
            // and its down puts the fresh one back to what the migrations had before
            migrator().withConfig(freshConfig).rollback(RollbackRequest.steps(1));
            assertThat(migrator().withConfig(freshConfig).drift(true).clean()).isTrue();
            assertThat(fresh.count("SELECT COUNT(*) FROM switchback_history")).isEqualTo(2);
            assertThat(fresh.tableExists("customers")).isTrue();
            assertThatThrownBy(() -> migrator().withConfig(freshConfig).newMigrationFromDrift("nothing", tmp.resolve("none"), false))
                    .isInstanceOfSatisfying(SwitchbackException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.CONFIG);
                        assertThat(e.getMessage()).contains("No drift").contains("nothing was written");
                    });
        }
    }

    @Test
    void aMigrationFromDriftIsRefusedWithNothingWrittenWhileMigrationsArePendingAndNoRecordOnlyWritesTheFiles() throws Exception {
        twoMigrations();
        migrator().withConfig(migrator().config().withTarget(Version.parse("001"))).migrate();
        db.execute("ALTER TABLE customers ADD COLUMN phone VARCHAR(30)");
        assertThatThrownBy(() -> migrator().newMigrationFromDrift("record hotfix", null, true))
                .isInstanceOfSatisfying(SwitchbackException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.VERIFICATION);
                    assertThat(e.getMessage()).contains("1 migration(s) pending").contains("002_orders.up.sql")
                            .contains("nothing was written");
                });
        try (var listed = Files.list(dir)) {
            assertThat(listed.map(p -> p.getFileName().toString())).doesNotContain("003_record_hotfix.up.sql");
        }
        assertThat(db.count("SELECT COUNT(*) FROM switchback_history")).isEqualTo(1);
        // files only (to apply elsewhere): this database keeps its drift and migrate would run the change again
        List<Path> files = migrator().newMigrationFromDrift("record hotfix", null, false);
        assertThat(files.get(0).getFileName().toString()).isEqualTo("003_record_hotfix.up.sql");
        assertThat(db.count("SELECT COUNT(*) FROM switchback_history")).isEqualTo(1);
        assertThat(migrator().drift().clean()).isFalse();
    }
}

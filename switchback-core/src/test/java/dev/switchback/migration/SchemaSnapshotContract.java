package dev.switchback.migration;

import dev.switchback.migration.testing.OneDatabaseTest;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

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
}

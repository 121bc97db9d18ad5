package dev.switchback.migration;

import dev.switchback.migration.testing.TestDatabase;

import dev.switchback.migration.dialect.Dialects;
import dev.switchback.migration.history.SchemaSnapshots;
import dev.switchback.migration.schema.SchemaInspector;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class PostgresSchemaSnapshotIT extends SchemaSnapshotContract {
    @Override
    protected TestDatabase newDatabase(Path tmp) {
        return TestDatabase.postgres();
    }

    @Override
    String dialectObjects() {
        return "CREATE TYPE mood AS ENUM ('sad', 'ok');\nCREATE SEQUENCE tickets START 100;\n"
                + "CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;\n"
                + "CREATE TRIGGER orders_touch BEFORE UPDATE ON orders FOR EACH ROW EXECUTE FUNCTION touch();\n"
                + "ALTER TABLE orders ENABLE ROW LEVEL SECURITY;\nCREATE POLICY orders_all ON orders USING (total < 1000);\n"
                + "CREATE MATERIALIZED VIEW order_totals AS SELECT total FROM orders;\nCOMMENT ON COLUMN orders.total IS 'in cents';\n";
    }

    @Override
    String dialectDown() {
        return "DROP MATERIALIZED VIEW order_totals;\nDROP TRIGGER orders_touch ON orders;\nDROP FUNCTION touch();\nDROP SEQUENCE tickets;\nDROP TYPE mood;\n";
    }

    private String[] storedAndLiveCatalog() throws Exception {
        try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password())) {
            SchemaSnapshots.Snapshot row = new SchemaSnapshots(Dialects.forUrl(db.url()), "switchback_history").latest(c);
            return new String[]{row.catalog(), SchemaInspector.forDialect("postgresql").catalogFingerprint(c)};
        }
    }

    @Test
    void theCatalogFingerprintTakenAtMigrateMakesACleanCheckSkipTheSchemaAndAnyChangeInOneCatalogIsStillDrift() throws Exception {
        twoMigrations();
        migrator().migrate();
        String[] catalog = storedAndLiveCatalog();
        assertThat(catalog[0]).hasSize(32).isEqualTo(catalog[1]);
        assertThat(migrator().drift().clean()).isTrue();
        // an ANALYZE (statistics written in place) and a new history row leave it as it was
        db.execute("ANALYZE orders");
        migrator().verify();
        assertThat(storedAndLiveCatalog()[1]).isEqualTo(catalog[0]);
        // each of these changes rows of one catalog only, and changes the fingerprint on its own (pg_description, pg_rewrite, pg_proc, pg_attrdef, pg_enum, pg_policy)
        for (String[] change : List.of(
                new String[]{"COMMENT ON COLUMN orders.total IS 'in euros'", "column orders.total"},
                new String[]{"CREATE OR REPLACE VIEW big_orders AS SELECT id, total FROM orders WHERE total > 200", "view big_orders"},
                new String[]{"CREATE OR REPLACE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN OLD; END $$",
                        "function touch()"},
                new String[]{"ALTER TABLE orders ALTER COLUMN total SET DEFAULT 1", "column orders.total"},
                new String[]{"ALTER TYPE mood ADD VALUE 'happy'", "type mood"},
                new String[]{"ALTER POLICY orders_all ON orders USING (total < 2000)", "policy orders_all on orders"})) {
            String before = storedAndLiveCatalog()[1];
            db.execute(change[0]);
            assertThat(storedAndLiveCatalog()[1]).as(change[0]).isNotEqualTo(before);
            assertThat(migrator().drift().differences()).as(change[0]).extracting(d -> d.object().label()).contains(change[1]);
        }
    }

    /**
     * In the command line's process, status reads the schema on a second connection beside the first (SchemaAhead);
     * a role the server allows one connection gets the same answer, read on its only one, and drift is seen either way.
     */
    @Test
    void statusShowsTheSameSchemaWhetherOrNotASecondConnectionCanBeHad() throws Exception {
        twoMigrations();
        migrator().migrate();
        String role = "sb_one_conn_" + Long.toHexString(System.nanoTime());
        db.execute("CREATE ROLE " + role + " LOGIN CONNECTION LIMIT 1");
        String before = System.getProperty(CommandLineProcess.PROPERTY);
        CommandLineProcess.mark();
        try {
            db.execute("GRANT SELECT ON ALL TABLES IN SCHEMA public TO " + role);
            Migrator one = Switchback.configure().url(db.url()).user(role).locations(dir.toString()).environment(Map.of())
                    .lockTimeout(Duration.ofSeconds(30)).load();
            StatusReport.SchemaState clean = migrator().status().schema();
            assertThat(clean.version()).isEqualTo("002");
            assertThat(clean.drift()).isFalse();
            assertThat(one.status().schema()).isEqualTo(clean);

            db.execute("ALTER TABLE orders ADD COLUMN note TEXT");
            assertThat(migrator().status().schema().drift()).isTrue();
            assertThat(one.status().schema().drift()).isTrue();
        } finally {
            if (before == null) {
                System.clearProperty(CommandLineProcess.PROPERTY);
            } else {
                System.setProperty(CommandLineProcess.PROPERTY, before);
            }
            db.execute("DROP OWNED BY " + role);
            db.execute("DROP ROLE " + role);
        }
    }

    /**
     * A second connection whose reads wait (here behind a lock on the snapshot table; behind a pooler's queue in the
     * field) is given up after its wait and closed, and the status reads the schema on its own connection.
     */
    @Test
    void aSchemaReadThatWaitsIsGivenUpAfterItsWaitAndItsConnectionClosed() throws Exception {
        twoMigrations();
        migrator().migrate();
        MigrationConfig config = migrator().config();
        try (Connection locker = DriverManager.getConnection(db.url(), db.user(), db.password());
             Database first = Database.open(config)) {
            locker.setAutoCommit(false);
            locker.createStatement().execute("LOCK TABLE switchback_schema IN ACCESS EXCLUSIVE MODE");
            SchemaAhead ahead = SchemaAhead.start(first, dev.switchback.migration.schema.DriftIgnore.NONE, 300);
            assertThat(ahead.join()).isNull();
            // the abandoned connection's backend goes once the lock is released; the first connection still reads
            locker.rollback();
            assertThat(Status.schemaState(first, dev.switchback.migration.schema.DriftIgnore.NONE).drift()).isFalse();
        }
    }
}

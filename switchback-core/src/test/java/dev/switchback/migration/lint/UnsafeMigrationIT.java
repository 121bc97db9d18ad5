package dev.switchback.migration.lint;

import dev.switchback.migration.AppliedStep;
import dev.switchback.migration.ErrorCode;
import dev.switchback.migration.MigrateResult;
import dev.switchback.migration.Switchback;
import dev.switchback.migration.SwitchbackException;
import dev.switchback.migration.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * migrate refuses pending migrations with error findings (UNSAFE, exit 5) before it takes a backup or applies anything,
 * and applies them with allowUnsafe or an ignore directive; a fresh database is never refused.
 */
class UnsafeMigrationIT {
    @TempDir
    Path dir;

    private void write(String name, String sql) throws IOException {
        Files.writeString(dir.resolve(name), sql);
    }

    private Switchback.Builder config(TestDatabase db) {
        return Switchback.configure().url(db.url()).user(db.user()).password(db.password()).baseDir(dir).locations(".")
                .environment(Map.of());
    }

    @Test
    void refusesAnUnsafeMigrationAndAppliesNothing() throws Exception {
        try (TestDatabase db = TestDatabase.postgres()) {
            write("001_orders.sql", "CREATE TABLE orders (id integer PRIMARY KEY, placed_at timestamptz);\n");
            config(db).load().migrate();
            write("002_index.sql", "ALTER TABLE orders ADD COLUMN note text;\nCREATE INDEX orders_placed_idx ON orders (placed_at);\n");
            write("003_more.sql", "CREATE TABLE notes (id integer PRIMARY KEY);\n");
            boolean[] backedUp = {false};
            assertThatThrownBy(() -> config(db).beforeMigrate((from, to) -> {
                backedUp[0] = true;
                return "b1";
            }).load().migrate()).isInstanceOfSatisfying(SwitchbackException.class, e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.UNSAFE);
                assertThat(e.code().exitCode()).isEqualTo(5);
                assertThat(e.getMessage()).startsWith("Migrate refused")
                        .contains("002_index.sql:2: create-index-blocking: CREATE INDEX orders_placed_idx on orders takes a ShareLock")
                        .contains("fix: CREATE INDEX CONCURRENTLY orders_placed_idx ON orders")
                        .contains("-- switchback:ignore <rule> <reason>").contains("--allow-unsafe");
            });
            assertThat(backedUp[0]).as("no backup for a refused run").isFalse();
            assertThat(db.count("SELECT count(*) FROM switchback_history WHERE version <> '001'")).isZero();
            assertThat(db.tableExists("notes")).isFalse();
        }
    }

    @Test
    void allowUnsafeAppliesItAnyway() throws Exception {
        try (TestDatabase db = TestDatabase.postgres()) {
            write("001_orders.sql", "CREATE TABLE orders (id integer PRIMARY KEY, placed_at timestamptz);\n");
            config(db).load().migrate();
            write("002_index.sql", "CREATE INDEX orders_placed_idx ON orders (placed_at);\n");
            MigrateResult r = config(db).allowUnsafe(true).load().migrate();
            assertThat(r.applied()).extracting(AppliedStep::version).containsExactly("002");
            assertThat(db.count("SELECT count(*) FROM pg_indexes WHERE indexname = 'orders_placed_idx'")).isEqualTo(1);
        }
    }

    @Test
    void theEnvironmentCanAllowItToo() throws Exception {
        try (TestDatabase db = TestDatabase.postgres()) {
            write("001_orders.sql", "CREATE TABLE orders (id integer PRIMARY KEY, note text);\n");
            config(db).load().migrate();
            write("002_drop.sql", "ALTER TABLE orders DROP COLUMN note;\n");
            MigrateResult r = config(db).environment(Map.of("SWITCHBACK_MIGRATIONS_ALLOW_UNSAFE", "true")).load().migrate();
            assertThat(r.applied()).hasSize(1);
        }
    }

    @Test
    void anIgnoreDirectiveWithAReasonAcceptsTheFinding() throws Exception {
        try (TestDatabase db = TestDatabase.postgres()) {
            write("001_orders.sql", "CREATE TABLE orders (id integer PRIMARY KEY, legacy text, placed_at timestamptz);\n");
            config(db).load().migrate();
            write("002_cleanup.sql", """
                    -- switchback:ignore drop-column release 41 stopped reading legacy
                    ALTER TABLE orders DROP COLUMN legacy;
                    -- switchback:ignore create-index-blocking orders holds a few hundred rows
                    CREATE INDEX orders_placed_idx ON orders (placed_at);
                    """);
            MigrateResult r = config(db).load().migrate();
            assertThat(r.applied()).extracting(AppliedStep::version).containsExactly("002");
        }
    }

    @Test
    void aFreshDatabaseAppliesEverythingInOneRunWithoutRefusal() throws Exception {
        try (TestDatabase db = TestDatabase.postgres()) {
            write("001_orders.sql", "CREATE TABLE orders (id integer PRIMARY KEY, legacy text, placed_at timestamptz);\n");
            write("002_index.sql", "CREATE INDEX orders_placed_idx ON orders (placed_at);\n");
            write("003_drop.sql", "ALTER TABLE orders DROP COLUMN legacy;\nALTER TABLE orders ALTER COLUMN placed_at SET NOT NULL;\n");
            MigrateResult r = config(db).load().migrate();
            assertThat(r.applied()).extracting(AppliedStep::version).containsExactly("001", "002", "003");
        }
    }

    @Test
    void warningsAndDryRunsDoNotRefuse() throws Exception {
        try (TestDatabase db = TestDatabase.postgres()) {
            write("001_orders.sql", "CREATE TABLE orders (id integer PRIMARY KEY, note text);\n");
            config(db).load().migrate();
            write("002_note.sql", "UPDATE orders SET note = '';\nDO $$ BEGIN PERFORM 1; END $$;\n");
            write("003_drop.sql", "ALTER TABLE orders DROP COLUMN note;\n");
            MigrateResult dry = config(db).dryRun(true).load().migrate();
            assertThat(dry.plan()).hasSize(2);
            assertThatThrownBy(() -> config(db).load().migrate())
                    .isInstanceOfSatisfying(SwitchbackException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNSAFE));
            Files.delete(dir.resolve("003_drop.sql"));
            assertThat(config(db).load().migrate().applied()).extracting(AppliedStep::version).containsExactly("002");
        }
    }

    @Test
    void aContractMigrationMayBreakTheOldReleaseButStillNotLockTables() throws Exception {
        try (TestDatabase db = TestDatabase.postgres()) {
            write("001_orders.sql", "CREATE TABLE orders (id integer PRIMARY KEY, legacy text, placed_at timestamptz);\n");
            config(db).load().migrate();
            write("002_contract.sql", "-- switchback:phase=contract\nALTER TABLE orders DROP COLUMN legacy;\n"
                    + "CREATE INDEX orders_placed_idx ON orders (placed_at);\n");
            assertThatThrownBy(() -> config(db).load().migrate()).isInstanceOfSatisfying(SwitchbackException.class, e ->
                    assertThat(e.getMessage()).contains("create-index-blocking").doesNotContain("drop-column"));
            write("002_contract.sql", "-- switchback:phase=contract\nALTER TABLE orders DROP COLUMN legacy;\n");
            assertThat(config(db).load().migrate().applied()).hasSize(1);
        }
    }

    @Test
    void mariaDbRefusesAnAlterThatCopiesTheTable() throws Exception {
        try (TestDatabase db = TestDatabase.mariadb()) {
            write("001_users.sql", "CREATE TABLE users (id BIGINT PRIMARY KEY, visits INT NOT NULL);\n");
            config(db).load().migrate();
            write("002_widen.sql", "ALTER TABLE users MODIFY COLUMN visits BIGINT NOT NULL;\n");
            assertThatThrownBy(() -> config(db).load().migrate()).isInstanceOfSatisfying(SwitchbackException.class, e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.UNSAFE);
                assertThat(e.getMessage()).contains("002_widen.sql:1: mysql-blocking-alter");
            });
            assertThat(db.count("SELECT count(*) FROM information_schema.schemata WHERE schema_name LIKE 'switchback\\_rehearsal\\_%'"))
                    .as("the scratch database that asked the server is gone").isZero();
            write("002_widen.sql", "-- switchback:ignore mysql-blocking-alter users holds a few rows\n"
                    + "ALTER TABLE users MODIFY COLUMN visits BIGINT NOT NULL;\n");
            assertThat(config(db).load().migrate().applied()).hasSize(1);
        }
    }

    @Test
    void mariaDbIsAskedBeforeAnAlterIsRefused() throws Exception {
        try (TestDatabase db = TestDatabase.mariadb()) {
            write("001_users.sql", "CREATE TABLE users (id BIGINT PRIMARY KEY, email VARCHAR(300) NOT NULL) DEFAULT CHARSET=utf8mb4;\n");
            config(db).load().migrate();
            // lint guesses that a type change copies the table; the server widens utf8mb4 varchar(300) in place
            write("002_widen.sql", "ALTER TABLE users MODIFY COLUMN email VARCHAR(400) NOT NULL;\n");
            assertThat(config(db).load().migrate().applied()).extracting(AppliedStep::version).containsExactly("002");
            assertThat(db.count("SELECT character_maximum_length FROM information_schema.columns WHERE table_schema = DATABASE() "
                    + "AND table_name = 'users' AND column_name = 'email'")).isEqualTo(400);
        }
    }
}

package dev.switchback.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchback.cli.Cli.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code switchback lint} and the migrate refusal as a user runs them: {@code bin/switchback} in a real process, exit
 * codes and outputs asserted; the PostgreSQL tests make their own database and drop it.
 */
@Execution(ExecutionMode.CONCURRENT)
class LintCliIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BASE = "CREATE TABLE orders (id integer PRIMARY KEY, note text, placed_at timestamptz);\n";
    private static final String INDEX = "-- Orders by date, for the report page.\nCREATE INDEX orders_placed_idx ON orders (placed_at);\n";

    @TempDir
    Path tmp;

    private Path write(String name, String sql) {
        try {
            Path p = tmp.resolve("migrations").resolve(name);
            Files.createDirectories(p.getParent());
            return Files.writeString(p, sql);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Result sb(int exit, String... args) {
        Result r = Cli.run(tmp, args);
        assertThat(r.exit()).as(r.describe()).isEqualTo(exit);
        return r;
    }

    private static String[] on(TestDb db, String... args) {
        List<String> all = new ArrayList<>(db.args());
        all.addAll(List.of("--locations", "migrations"));
        all.addAll(List.of(args));
        return all.toArray(String[]::new);
    }

    @Test
    void lintExitsOneOnAnErrorAndPrintsEveryFormat() throws IOException {
        write("001_orders.sql", BASE);
        write("002_index.sql", INDEX);
        write("003_note.sql", "-- switchback:phase=contract\nALTER TABLE orders DROP COLUMN note;\n");

        Result text = sb(1, "lint", "--dialect", "postgresql");
        assertThat(text.out()).startsWith("migrations/002_index.sql:2: error create-index-blocking: CREATE INDEX orders_placed_idx "
                + "on orders takes a ShareLock").contains("    fix: CREATE INDEX CONCURRENTLY orders_placed_idx ON orders")
                .contains("migrations/003_note.sql:2: info drop-column:")
                .endsWith("3 migrations, 3 statements: 1 error, 0 warnings, 1 info, 0 ignored.\n");

        Result github = sb(1, "lint", "--dialect", "postgresql", "--format", "github");
        assertThat(github.out().lines().toList()).containsExactly(
                "::error file=migrations/002_index.sql,line=2,title=create-index-blocking::CREATE INDEX orders_placed_idx on orders "
                        + "takes a ShareLock: writes to orders wait until the whole index is built. Fix: CREATE INDEX CONCURRENTLY "
                        + "orders_placed_idx ON orders ..., alone in a migration whose first line is -- switchback:no-transaction",
                "::notice file=migrations/003_note.sql,line=2,title=drop-column::DROP COLUMN note on orders: the serving release "
                        + "still reads or writes it (SELECT * and INSERTs naming it fail) (expected in this contract migration). Fix: "
                        + "stop using the column in one release, then drop it in a migration marked -- switchback:phase=contract");

        Result markdown = sb(1, "lint", "--dialect", "postgresql", "--format", "markdown");
        assertThat(markdown.out()).startsWith("## Migration checklist\n")
                .contains("### `migrations/002_index.sql`\n\nVersion 002 · phase: expand · runs in one transaction\n")
                .contains("| 1 | 2 | `CREATE INDEX orders_placed_idx ON orders (placed_at)` | ShareLock on orders (blocks writes) "
                        + "while the index builds | no |")
                .contains("- [ ] **Lock behaviour:** line 2 `create-index-blocking` (error)")
                .contains("- [ ] **Rollback path:** no down migration. Restore the backup migrate takes before it "
                        + "(`switchback backup restore pre-002`)")
                .contains("- [x] **Compatibility with the previous release:** contract step");

        JsonNode json = JSON.readTree(sb(1, "lint", "--dialect", "postgresql", "--json").out());
        assertThat(json.get("findings").get(0).get("rule").asText()).isEqualTo("create-index-blocking");
        List<String> keys = new ArrayList<>();
        json.get("findings").get(0).fieldNames().forEachRemaining(keys::add);
        assertThat(keys).containsExactly("rule", "severity", "file", "line", "statement", "message", "fix", "ignored");
        assertThat(json.get("migrations").get(2).toString())
                .isEqualTo("{\"script\":\"migrations/003_note.sql\",\"phase\":\"contract\",\"statements\":1,\"hasDown\":false}");

        Result folder = sb(1, "lint", "--dialect", "postgresql", "--format", "github", "migrations");
        assertThat(folder.out()).startsWith("::error file=migrations/002_index.sql,line=2,title=create-index-blocking::");
        Result one = sb(0, "lint", "--dialect", "postgresql", "migrations/003_note.sql");
        assertThat(one.out()).contains("1 migration, 1 statement: 0 errors, 0 warnings, 1 info, 0 ignored.");
        sb(2, "lint", "--format", "yaml");
    }

    @Test
    void downScriptsAreLintedUnderTheirOwnNameAndAnUnterminatedCommentIsAnError() throws IOException {
        write("001_orders.sql", BASE);
        write("002_index.up.sql", "-- switchback:no-transaction\nCREATE INDEX CONCURRENTLY orders_placed_idx ON orders (placed_at);\n");
        write("002_index.down.sql", "DROP INDEX CONCURRENTLY orders_placed_idx;\n");
        Result down = sb(1, "lint", "--dialect", "postgresql");
        assertThat(down.out()).startsWith("migrations/002_index.down.sql:1: error concurrently-in-transaction:");
        assertThat(sb(1, "lint", "--dialect", "postgresql", "migrations/002_index.up.sql").out())
                .startsWith("migrations/002_index.down.sql:1: error concurrently-in-transaction:");
        write("002_index.down.sql", "-- switchback:no-transaction\nDROP INDEX CONCURRENTLY orders_placed_idx;\n");
        sb(0, "lint", "--dialect", "postgresql");

        write("003_open.sql", "CREATE TABLE kept (id int);\n/* never closed\nCREATE TABLE swallowed (id int);\n");
        assertThat(sb(2, "lint", "--dialect", "postgresql").err()).contains("migrations/003_open.sql:2: unterminated /* comment");
        assertThat(sb(2, "lint", "--dialect", "postgresql", "migrations/003_open.sql").err())
                .contains("migrations/003_open.sql:2: unterminated /* comment");
    }

    @Test
    void theLintSectionOfTheConfigChangesSeveritiesAndItsTyposAreErrors() throws IOException {
        write("001_orders.sql", BASE);
        write("002_index.sql", INDEX);
        Files.writeString(tmp.resolve("switchback.yml"), """
                database:
                  url: jdbc:postgresql://127.0.0.1:5432/not_used_by_lint
                lint:
                  warning: [create-index-blocking]
                  disable: missing-lock-timeout
                  pgVersion: 15
                """);
        Result r = sb(0, "lint");
        assertThat(r.out()).contains("migrations/002_index.sql:2: warning create-index-blocking");
        Files.writeString(tmp.resolve("switchback.yml"), "lint:\n  warnings: [create-index-blocking]\n  error: [no-such-rule]\n");
        Result typo = sb(2, "lint");
        assertThat(typo.err()).contains("unknown key 'lint.warnings' (known: pgVersion, disable, error, warning, info)");
    }

    @Test
    void migrateRefusesWithExitFiveAndAppliesWithAllowUnsafeOrAnIgnore() throws IOException {
        write("001_orders.sql", BASE);
        try (TestDb db = TestDb.postgres()) {
            sb(0, on(db, "migrate", "--no-backup"));
            write("002_index.sql", INDEX);
            Result refused = sb(5, on(db, "migrate", "--no-backup"));
            assertThat(refused.err()).contains("error: Migrate refused")
                    .contains("migrations/002_index.sql:2: create-index-blocking: CREATE INDEX orders_placed_idx on orders")
                    .contains("--allow-unsafe");
            assertThat(db.count("SELECT count(*) FROM switchback_history")).isEqualTo(1);

            Result pending = sb(1, on(db, "lint", "--pending-only"));
            assertThat(pending.out()).contains("1 migration, 1 statement: 1 error");

            write("002_index.sql", "-- switchback:ignore create-index-blocking orders is a 30-row lookup table\n" + INDEX);
            sb(0, on(db, "lint", "--pending-only"));
            write("003_drop.sql", "ALTER TABLE orders DROP COLUMN note;\n");
            sb(5, on(db, "migrate", "--no-backup"));
            Result allowed = sb(0, on(db, "migrate", "--no-backup", "--allow-unsafe"));
            assertThat(allowed.out()).contains("Migrated from 001 to 003: 2 applied");
            assertThat(allowed.err()).contains("Applying despite 1 unsafe finding(s)").contains("003_drop.sql:1: drop-column");
        }
    }

    @Test
    void rehearseReportsTheLocksPostgresTookAndDropsTheScratchDatabase() throws IOException {
        write("001_orders.sql", BASE);
        try (TestDb db = TestDb.postgres()) {
            sb(0, on(db, "migrate", "--no-backup"));
            write("002_index.sql", INDEX);
            write("003_type.sql", "ALTER TABLE orders ALTER COLUMN id TYPE bigint;\n");
            JsonNode r = JSON.readTree(sb(1, on(db, "lint", "--rehearse", "--json")).out());
            JsonNode rehearsal = r.get("rehearsal");
            assertThat(rehearsal.get("scratchDropped").asBoolean()).isTrue();
            JsonNode index = rehearsal.get("migrations").get(0).get("statements").get(0);
            assertThat(index.get("locks").toString()).isEqualTo("[{\"relation\":\"orders\",\"mode\":\"ShareLock\"}]");
            assertThat(index.get("disagreements")).isEmpty();
            JsonNode type = rehearsal.get("migrations").get(1).get("statements").get(0);
            assertThat(type.get("tableRewritten").asBoolean()).isTrue();
            assertThat(type.get("findings").toString()).isEqualTo("[\"change-column-type\"]");
            String scratch = rehearsal.get("scratch").asText();
            assertThat(db.count("SELECT count(*) FROM pg_database WHERE datname = '"
                    + scratch.substring(scratch.lastIndexOf('/') + 1) + "'")).isZero();

            Result markdown = sb(1, on(db, "lint", "--rehearse", "--format", "markdown"));
            assertThat(markdown.out()).contains("lint and the observed locks agree")
                    .contains("| Observed (rehearsal) |")
                    .contains("| ShareLock on orders |");
        }
    }

    @Test
    void pendingOnlyJudgesADropAgainstWhatTheDatabaseHas() throws IOException {
        write("001_orders.sql", "DROP TABLE IF EXISTS legacy_table;\n" + BASE);
        try (TestDb db = TestDb.postgres()) {
            Result fresh = sb(0, on(db, "lint", "--pending-only"));
            assertThat(fresh.out()).isEqualTo("1 migration, 2 statements: no findings.\n");
            sb(0, on(db, "migrate", "--no-backup"));
            write("002_drop.sql", "DROP TABLE IF EXISTS orders;\n");
            assertThat(sb(1, on(db, "lint", "--pending-only")).out()).contains("002_drop.sql:1: error drop-table");
        }
    }

    @Test
    void rehearseOnMariaDbLetsTheServerDecideWhetherAnAlterBlocks() throws IOException {
        write("001_users.sql", "CREATE TABLE users (id BIGINT PRIMARY KEY, email VARCHAR(300) NOT NULL) DEFAULT CHARSET=utf8mb4;\n");
        try (TestDb db = TestDb.mariadb()) {
            sb(0, on(db, "migrate", "--no-backup"));
            write("002_widen.sql", "ALTER TABLE users MODIFY email VARCHAR(400) NOT NULL;\n");
            assertThat(sb(1, on(db, "lint", "--pending-only")).out()).contains("002_widen.sql:1: error mysql-blocking-alter");
            Result rehearsed = sb(0, on(db, "lint", "--rehearse"));
            assertThat(rehearsed.out()).contains("Rehearsal on MariaDB 10.")
                    .contains("observed: online: MariaDB ran it with ALGORITHM=INSTANT")
                    .contains("lint expected a table copy or a lock on writes")
                    .doesNotContain("error mysql-blocking-alter");
        }
    }
}

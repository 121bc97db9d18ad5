package dev.switchback.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchback.cli.Cli.Result;
import dev.switchback.cli.TestDb.Kind;
import org.assertj.core.api.AbstractStringAssert;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static dev.switchback.cli.Cli.env;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The CLI as a user runs it: {@code bin/switchback} in a real process against real PostgreSQL, MariaDB and SQLite,
 * with exit codes, stdout and stderr asserted. Every test makes its own database (or temp folder) and drops it.
 */
@Execution(ExecutionMode.CONCURRENT)
class CliIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    // ---------------------------------------------------------------- helpers

    private static Result expect(Result r, int exit) {
        assertThat(r.exit()).as("exit code of\n%s", r.describe()).isEqualTo(exit);
        return r;
    }

    private static AbstractStringAssert<?> stdout(Result r) {
        return assertThat(r.out()).as("stdout of\n%s", r.describe());
    }

    private static AbstractStringAssert<?> stderr(Result r) {
        return assertThat(r.err()).as("stderr of\n%s", r.describe());
    }

    private static Result sb(Path dir, TestDb db, Map<String, String> env, String... args) {
        return Cli.on(dir, db, env, args);
    }

    private static Result sb(Path dir, TestDb db, String... args) {
        return sb(dir, db, Map.of(), args);
    }

    private static JsonNode json(Result r) {
        try {
            return JSON.readTree(r.out());
        } catch (IOException e) {
            throw new AssertionError("stdout is not JSON: " + e.getMessage() + "\n" + r.describe(), e);
        }
    }

    private static List<String> keys(JsonNode node) {
        List<String> keys = new ArrayList<>();
        node.fieldNames().forEachRemaining(keys::add);
        return keys;
    }

    private static List<String> texts(JsonNode array, String field) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.get(field).asText()));
        return out;
    }

    private static Path write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            return Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static TestDb db(Kind kind, Path tmp) {
        return TestDb.create(kind, tmp);
    }

    static final String ITEMS_UP = "-- Items on sale.\nCREATE TABLE items (\n    id INTEGER PRIMARY KEY,\n    name VARCHAR(100) NOT NULL\n);\n";
    static final String TAGS_UP = "CREATE TABLE tags (id INTEGER PRIMARY KEY, label VARCHAR(50) NOT NULL);\n\n"
            + "INSERT INTO tags (id, label) VALUES (1, 'a; b');\n";
    static final String NOTES_UP = "CREATE TABLE notes (id INTEGER PRIMARY KEY);\n";

    /** Three portable migrations with downs in {@code dir/migrations}, quick-start style. */
    private static Path threeMigrations(Path dir) {
        Path m = dir.resolve("migrations");
        write(m.resolve("001_create_items.up.sql"), ITEMS_UP);
        write(m.resolve("001_create_items.down.sql"), "DROP TABLE items;\n");
        write(m.resolve("002_add_tags.up.sql"), TAGS_UP);
        write(m.resolve("002_add_tags.down.sql"), "DROP TABLE tags;\n");
        write(m.resolve("003_add_notes.up.sql"), NOTES_UP);
        write(m.resolve("003_add_notes.down.sql"), "DROP TABLE notes;\n");
        return m;
    }

    private static Path copyQuickstart(Path target) throws IOException {
        Path source = Cli.ROOT.resolve("examples/quickstart");
        Files.createDirectories(target.resolve("migrations"));
        Files.copy(source.resolve("switchback.yml"), target.resolve("switchback.yml"));
        try (Stream<Path> files = Files.list(source.resolve("migrations"))) {
            for (Path f : files.toList()) {
                Files.copy(f, target.resolve("migrations").resolve(f.getFileName()));
            }
        }
        return target.resolve("switchback.yml");
    }

    private static void assertOrdered(Result r, String text, String... parts) {
        int at = -1;
        for (String p : parts) {
            int next = text.indexOf(p, at + 1);
            assertThat(next).as("'%s' after position %d in\n%s", p, at, r.describe()).isGreaterThan(at);
            at = next;
        }
    }

    private static String expectedHost() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env;
        }
        try {
            return Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
        } catch (IOException | RuntimeException e) {
            try {
                return InetAddress.getLocalHost().getHostName();
            } catch (IOException ex) {
                return "";
            }
        }
    }

    // ---------------------------------------------------------------- the quick start

    @Test
    void quickStartMigratesThenSaysUpToDate() throws IOException {
        Path config = copyQuickstart(tmp.resolve("quickstart"));
        // run from the repository root, as the README does: the SQLite file lands next to the config, not here
        Result first = expect(Cli.run(Cli.ROOT, "-c", config.toString(), "migrate"), 0);
        Path dbFile = tmp.resolve("quickstart/.switchback/quickstart.db");
        assertOrdered(first, first.out(),
                "Applied 001 create customers", "Applied 002 create orders", "Applied 003 seed statuses",
                "Applied 004 customer totals view", "Applied 005 add customer phone",
                "Migrated from none to 005: 5 applied in",
                "Database: jdbc:sqlite:" + dbFile, "Current version: 005", "Lock: free",
                "Version", "Description", "State", "Applied at", "Down",
                "001", "create customers", "success", "002", "create orders", "005", "add customer phone", "success",
                "Pending: none");
        stdout(first).doesNotContain("[INFO]").doesNotContain("[WARN]");
        stderr(first).contains("Applying 001 create customers").doesNotContain("Migrated from");
        assertThat(dbFile).exists();
        assertThat(TestDb.sqlite(dbFile).tables()).contains("customers", "orders", "order_statuses", "customer_totals");
        assertThat(TestDb.sqlite(dbFile).count("SELECT COUNT(*) FROM order_statuses WHERE label = 'New; not yet paid'")).isEqualTo(1);

        Result second = expect(Cli.run(Cli.ROOT, "-c", config.toString(), "migrate"), 0);
        assertOrdered(second, second.out(), "Database is up to date at version 005.", "Current version: 005",
                "005", "add customer phone", "Pending: none");
        stdout(second).doesNotContain("Applied 00");
    }

    /**
     * The launcher runs the short commands on C1 alone and leaves serve, demo and backup the full JIT; the user's
     * SWITCHBACK_JAVA_OPTS come after its flag. Seen through JAVA pointing at a wrapper that records its arguments
     * and then runs the real java.
     */
    @Test
    void launcherRunsShortCommandsOnC1AndLetsTheUserOverrideIt() throws IOException {
        Path record = tmp.resolve("java-args.txt");
        Path wrapper = tmp.resolve("java-recording");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Files.writeString(wrapper, "#!/bin/sh\nprintf '%s\\n' \"$*\" >> '" + record + "'\nexec '" + java + "' \"$@\"\n");
        assertThat(wrapper.toFile().setExecutable(true)).isTrue();

        expect(Cli.run(tmp, Map.of("JAVA", wrapper.toString(), "SWITCHBACK_JAVA_OPTS", ""), "--version"), 0);
        expect(Cli.run(tmp, Map.of("JAVA", wrapper.toString(), "SWITCHBACK_JAVA_OPTS", ""), "backup", "--help"), 0);
        expect(Cli.run(tmp, Map.of("JAVA", wrapper.toString(), "SWITCHBACK_JAVA_OPTS", "-XX:TieredStopAtLevel=4"),
                "status", "--help"), 0);

        List<String> runs = Files.readAllLines(record);
        assertThat(runs).hasSize(3);
        // then the checkout, for `demo` (see bin/switchback), and Main by class name on the jar
        String home = " -Dswitchback.home=" + Cli.ROOT.toRealPath() + " -cp ";
        assertThat(runs.get(0)).startsWith("-XX:TieredStopAtLevel=1" + home).endsWith(" dev.switchback.cli.Main --version");
        assertThat(runs.get(1)).doesNotContain("TieredStopAtLevel").endsWith(" backup --help");
        // the JVM takes the last of a repeated -XX flag: the user's
        assertThat(runs.get(2)).startsWith("-XX:TieredStopAtLevel=1 -XX:TieredStopAtLevel=4" + home).endsWith(" status --help");
    }

    /** The quick start's config says "point database.url at PostgreSQL or MariaDB to use the same migrations there". */
    @ParameterizedTest
    @EnumSource(value = Kind.class, names = {"POSTGRES", "MARIADB"})
    void quickStartMigrationsRunAndRollBackOnTheServers(Kind kind) throws IOException {
        Path config = copyQuickstart(tmp.resolve("quickstart"));
        try (TestDb db = db(kind, tmp)) {
            Map<String, String> env = env("SWITCHBACK_DATABASE_URL", db.url(), "SWITCHBACK_DATABASE_USER", db.user());
            Result up = expect(Cli.run(tmp, env, "-c", config.toString(), "migrate"), 0);
            stdout(up).contains("Migrated from none to 005: 5 applied").contains("Database: " + db.url());
            SoftAssertions soft = new SoftAssertions();
            // a clean first run has nothing to warn about (e.g. not the history table it is about to create)
            soft.assertThat(up.err()).as("warnings logged by a clean first migrate\n%s", up.describe())
                    .doesNotContain("[WARN]");
            Result down = Cli.run(tmp, env, "-c", config.toString(), "rollback", "--to", "0", "--yes");
            soft.assertThat(down.exit()).as("exit code of\n%s", down.describe()).isZero();
            soft.assertThat(down.out()).as(down.describe()).contains("Rolled back from 005 to none: 5 undone.");
            soft.assertThat(db.tables()).as("tables left after rollback --to 0").allMatch(t -> t.startsWith("switchback_"));
            soft.assertAll();
        }
    }

    // ---------------------------------------------------------------- migrate, status, verify, repair, rollback on every database

    @ParameterizedTest
    @EnumSource(Kind.class)
    void migrateStatusVerifyRepairRollback(Kind kind) {
        Path m = threeMigrations(tmp);
        try (TestDb db = db(kind, tmp)) {
            // migrate --target
            Result r = expect(sb(tmp, db, "migrate", "--target", "2"), 0);
            assertOrdered(r, r.out(), "Applied 001 create items", "Applied 002 add tags", "Migrated from none to 002: 2 applied",
                    "Current version: 002", "Pending (1):", "003  add notes  (migrations/003_add_notes.up.sql)");
            stdout(r).doesNotContain("Applied 003");
            assertThat(db.tables()).contains("items", "tags").doesNotContain("notes");
            assertThat(db.string("SELECT label FROM tags WHERE id = 1")).isEqualTo("a; b");

            // status --json: exactly the documented shape
            r = expect(sb(tmp, db, "status", "--json"), 0);
            JsonNode s = json(r);
            assertThat(keys(s)).as(r.describe()).containsExactlyInAnyOrder("database", "current", "applied", "pending", "problems", "lock", "schema");
            assertThat(keys(s.get("schema"))).as(r.describe()).containsExactlyInAnyOrder("version", "hash", "drift");
            assertThat(s.get("schema").get("drift").asBoolean()).as("no drift right after migrate").isFalse();
            assertThat(s.get("database").asText()).isEqualTo(db.url());
            assertThat(s.get("current").asText()).isEqualTo("002");
            assertThat(s.get("applied")).hasSize(2);
            for (JsonNode a : s.get("applied")) {
                assertThat(keys(a)).as(r.describe()).containsExactlyInAnyOrder("version", "description", "script", "checksum",
                        "appliedAt", "executionMs", "state", "hasDown");
                assertThat(a.get("state").asText()).isEqualTo("success");
                assertThat(a.get("hasDown").isBoolean()).isTrue();
                assertThat(a.get("hasDown").asBoolean()).isTrue();
                assertThat(a.get("executionMs").isIntegralNumber()).isTrue();
                assertThat(Instant.parse(a.get("appliedAt").asText())).as("appliedAt, in UTC")
                        .isCloseTo(Instant.now(), within(Duration.ofMinutes(10)));
            }
            JsonNode first = s.get("applied").get(0);
            assertThat(first.get("version").asText()).isEqualTo("001");
            assertThat(first.get("description").asText()).isEqualTo("create items");
            assertThat(first.get("script").asText()).isEqualTo("migrations/001_create_items.up.sql");
            assertThat(first.get("checksum").asText()).isEqualTo(sha256(ITEMS_UP));
            assertThat(texts(s.get("applied"), "version")).containsExactly("001", "002");
            assertThat(s.get("pending")).hasSize(1);
            JsonNode p = s.get("pending").get(0);
            assertThat(keys(p)).containsExactlyInAnyOrder("version", "description", "script");
            assertThat(p.get("version").asText()).isEqualTo("003");
            assertThat(p.get("description").asText()).isEqualTo("add notes");
            assertThat(p.get("script").asText()).isEqualTo("migrations/003_add_notes.up.sql");
            assertThat(s.get("problems").isArray()).isTrue();
            assertThat(s.get("problems")).isEmpty();
            assertThat(s.get("lock").isNull()).isTrue();

            // migrate the rest
            r = expect(sb(tmp, db, "migrate"), 0);
            assertOrdered(r, r.out(), "Applied 003 add notes", "Migrated from 002 to 003: 1 applied", "Current version: 003", "Pending: none");
            stdout(r).doesNotContain("Applied 001").doesNotContain("Applied 002");

            // edit an applied migration, add a pending one without a down: verify shows the diff, migrate refuses
            write(m.resolve("002_add_tags.up.sql"), TAGS_UP.replace("'a; b'", "'a; c'"));
            write(m.resolve("004_add_flags.up.sql"), "CREATE TABLE flags (id INTEGER PRIMARY KEY);\n");
            r = expect(sb(tmp, db, "verify"), 4);
            stdout(r).contains("Verification failed for " + db.url() + ": 1 problem(s)")
                    .contains("checksum_mismatch: migrations/002_add_tags.up.sql was edited after it was applied")
                    .contains("--- migrations/002_add_tags.up.sql (applied)\n+++ migrations/002_add_tags.up.sql (on disk)\n")
                    .containsPattern("(?m)^@@ -\\d+,\\d+ \\+\\d+,\\d+ @@$")
                    .contains("\n-INSERT INTO tags (id, label) VALUES (1, 'a; b');\n")
                    .contains("\n+INSERT INTO tags (id, label) VALUES (1, 'a; c');\n")
                    .contains("\n CREATE TABLE tags (id INTEGER PRIMARY KEY, label VARCHAR(50) NOT NULL);\n");

            r = expect(sb(tmp, db, "migrate"), 4);
            stderr(r).contains("Migrate refused; nothing was applied").contains("checksum_mismatch")
                    .contains("migrations/002_add_tags.up.sql");
            stdout(r).doesNotContain("Applied");
            assertThat(db.tables()).doesNotContain("flags");

            r = expect(sb(tmp, db, "status", "--json"), 0);
            s = json(r);
            assertThat(s.get("problems")).as(r.describe()).hasSize(1);
            JsonNode problem = s.get("problems").get(0);
            assertThat(keys(problem)).containsExactlyInAnyOrder("type", "version", "script", "message");
            assertThat(problem.get("type").asText()).isEqualTo("checksum_mismatch");
            assertThat(problem.get("version").asText()).isEqualTo("002");
            assertThat(problem.get("script").asText()).isEqualTo("migrations/002_add_tags.up.sql");
            assertThat(problem.get("message").asText()).contains("repair");
            assertThat(texts(s.get("pending"), "version")).containsExactly("004");

            // repair re-records the checksum; verify is clean again
            r = expect(sb(tmp, db, "repair"), 0);
            stdout(r).contains("Checksums re-recorded: 002");
            r = expect(sb(tmp, db, "verify"), 0);
            stdout(r).contains("Verified " + db.url() + ": the history matches the migration files.");

            // rollback --to 0 --dry-run: the down SQL, newest first, from the file or (file deleted) from the history
            Files.delete(m.resolve("003_add_notes.down.sql"));
            r = expect(sb(tmp, db, "rollback", "--to", "0", "--dry-run"), 0);
            assertOrdered(r, r.out(), "Dry run: would undo 3 migration(s), from 003 to none; nothing was changed.",
                    "-- undo 003 add notes (down SQL from the history", "DROP TABLE notes;",
                    "-- undo 002 add tags (down SQL from the file: migrations/002_add_tags.down.sql)", "DROP TABLE tags;",
                    "-- undo 001 create items (down SQL from the file: migrations/001_create_items.down.sql)", "DROP TABLE items;");
            assertThat(db.tables()).contains("items", "tags", "notes");
            assertThat(db.count("SELECT COUNT(*) FROM switchback_history")).isEqualTo(3);

            // rollback --steps 1 undoes the newest with the stored down SQL; status shows one less
            r = expect(sb(tmp, db, "rollback", "--steps", "1", "--yes"), 0);
            assertOrdered(r, r.out(), "Undone 003 add notes", "Rolled back from 003 to 002: 1 undone.");
            assertThat(db.tables()).contains("items", "tags").doesNotContain("notes");
            r = expect(sb(tmp, db, "status", "--json"), 0);
            s = json(r);
            assertThat(s.get("current").asText()).as(r.describe()).isEqualTo("002");
            assertThat(texts(s.get("applied"), "version")).containsExactly("001", "002");
            assertThat(texts(s.get("pending"), "version")).containsExactly("003", "004");

            // 003 (its down file is gone) and 004 (never had one) have no down: rollback refuses, undoes nothing
            r = expect(sb(tmp, db, "migrate"), 0);
            stdout(r).contains("Applied 003 add notes").contains("Applied 004 add flags").contains("Migrated from 002 to 004: 2 applied");
            r = expect(sb(tmp, db, "rollback", "--steps", "1"), 5);
            stderr(r).contains("nothing was undone").contains("004 (migrations/004_add_flags.up.sql)");
            stdout(r).doesNotContain("Undone");
            assertThat(db.tables()).contains("items", "tags", "notes", "flags");
            assertThat(db.count("SELECT COUNT(*) FROM switchback_history")).isEqualTo(4);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void sqlErrorNamesFileLineStatementAndSqlstate(Kind kind) {
        Path m = tmp.resolve("migrations");
        write(m.resolve("001_create_items.up.sql"), ITEMS_UP);
        write(m.resolve("002_broken.up.sql"), "-- Creates a table, then inserts into one that does not exist.\n"
                + "CREATE TABLE good_one (id INTEGER PRIMARY KEY);\n\nINSERT INTO no_such_table (id) VALUES (1);\n");
        write(m.resolve("003_add_notes.up.sql"), NOTES_UP);
        try (TestDb db = db(kind, tmp)) {
            Result r = expect(sb(tmp, db, "migrate"), 1);
            stdout(r).contains("Applied 001 create items").doesNotContain("Applied 002").doesNotContain("Applied 003");
            stderr(r).contains("migrations/002_broken.up.sql:4").contains("statement 2")
                    .contains("INSERT INTO no_such_table (id) VALUES (1)");
            switch (kind) {
                case POSTGRES -> stderr(r).contains("SQLSTATE 42P01");
                case MARIADB -> stderr(r).contains("SQLSTATE 42S02").contains("resume at statement 2");
                case SQLITE -> stderr(r).contains("no such table: no_such_table");
            }
            assertThat(db.tables()).contains("items").doesNotContain("notes");
            if (kind == Kind.MARIADB) {
                // DDL commits implicitly there: statement 1 stays done, recorded as partial
                assertThat(db.tables()).contains("good_one");
                assertThat(db.string("SELECT state FROM switchback_history WHERE version = '002'")).isEqualTo("partial");
            } else {
                assertThat(db.tables()).doesNotContain("good_one");
                assertThat(db.string("SELECT state FROM switchback_history WHERE version = '002'")).isEqualTo("failed");
            }
        }
    }

    // ---------------------------------------------------------------- secrets

    static Stream<Arguments> unreachableWithSecrets() {
        String pw = "Sup3r-S3cret-pw";
        return Stream.of(
                Arguments.of(pw, 1, List.of("--url", "jdbc:postgresql://127.0.0.1:1/app?user=app&password=" + pw, "-v", "--json", "migrate")),
                Arguments.of(pw, 1, List.of("--url", "jdbc:postgresql://app:" + pw + "@127.0.0.1:1/app", "-v", "--json", "migrate")),
                Arguments.of(pw, 1, List.of("--url", "jdbc:postgresql://127.0.0.1:1/app", "--user", "app", "--password", pw, "-v", "--json", "status")),
                Arguments.of(pw, 1, List.of("--url", "jdbc:mariadb://127.0.0.1:1/app?user=app&password=" + pw, "-v", "--json", "status")),
                Arguments.of(pw, 1, List.of("--url", "jdbc:mariadb://app:" + pw + "@127.0.0.1:1/app", "--json", "status")),
                Arguments.of(pw, 1, List.of("--url", "jdbc:mariadb://127.0.0.1:1/app", "--user", "app", "--password", pw, "-v", "migrate")),
                Arguments.of(pw, 1, List.of("--url", "jdbc:mysql://127.0.0.1:1/app?user=app&password=" + pw, "status")),
                Arguments.of(pw, 2, List.of("--url", "jdbc:oracle:thin:app/" + pw + "@//db.example:1521/orcl", "status")));
    }

    @ParameterizedTest
    @MethodSource("unreachableWithSecrets")
    void passwordNeverAppearsWhenTheDatabaseIsUnreachable(String secret, int exit, List<String> args) {
        threeMigrations(tmp);
        Result r = expect(Cli.run(tmp, env("SWITCHBACK_MIGRATIONS_MAX_RETRIES", "0"), args.toArray(String[]::new)), exit);
        assertThat(r.all()).as("the password in the output of\n%s", r.describe()).doesNotContain(secret);
        if (exit == 1) {
            stderr(r).contains("Cannot connect to");
        } else {
            stderr(r).contains("Unsupported database URL");
        }
    }

    @Test
    void passwordNeverAppearsWhenTheDatabaseIsReachable() {
        threeMigrations(tmp);
        String urlSecret = "Url-S3cret-pw";
        String flagSecret = "Flag-S3cret-pw";
        String fileSecret = "File-S3cret-pw";
        try (TestDb db = TestDb.postgres()) {
            // trust auth: the server never asks for the passwords, so all three can be given
            Path config = write(tmp.resolve("switchback.yml"), "database:\n  url: " + db.url() + "?password=${URL_PW}\n"
                    + "  user: postgres\n  password: ${DB_PASSWORD}\n");
            Map<String, String> env = env("URL_PW", urlSecret, "DB_PASSWORD", fileSecret);
            List<Result> runs = new ArrayList<>();
            runs.add(expect(Cli.run(tmp, env, "-c", config.toString(), "-v", "migrate"), 0));
            runs.add(expect(Cli.run(tmp, env, "-c", config.toString(), "status", "--json"), 0));
            runs.add(expect(Cli.run(tmp, env, "-c", config.toString(), "--password", flagSecret, "-v", "verify", "--json"), 0));
            runs.add(expect(Cli.run(tmp, env, "-c", config.toString(), "--password", flagSecret, "-v", "rollback", "--to", "0", "--dry-run", "--json"), 0));
            for (Result r : runs) {
                assertThat(r.all()).as(r.describe()).doesNotContain(urlSecret).doesNotContain(flagSecret).doesNotContain(fileSecret);
            }
            assertThat(json(runs.get(1)).get("database").asText()).isEqualTo(db.url() + "?password=****");
        }
    }

    // ---------------------------------------------------------------- exit 2: usage and configuration

    @Test
    void badConfigAndBadFileNamesExitTwoAndTouchNothing() {
        write(tmp.resolve("migrations/001_create_items.up.sql"), ITEMS_UP);
        write(tmp.resolve("bad1/001_create_items.up.sql"), ITEMS_UP);
        write(tmp.resolve("bad1/add_users.sql"), "CREATE TABLE users (id INTEGER);\n");
        write(tmp.resolve("bad2/002_a.sql"), "CREATE TABLE a (id INTEGER);\n");
        write(tmp.resolve("bad2/2_b.sql"), "CREATE TABLE b (id INTEGER);\n");
        write(tmp.resolve("bad3/001_create_items.up.sql"), ITEMS_UP);
        write(tmp.resolve("bad3/007_gone.down.sql"), "DROP TABLE gone;\n");
        try (TestDb db = TestDb.postgres()) {
            List<Result> runs = new ArrayList<>();

            Path config = write(tmp.resolve("typo.yml"), "database:\n  url: " + db.url() + "\n  user: postgres\n"
                    + "migrations:\n  locatons: [migrations]\n");
            Result r = expect(Cli.run(tmp, "-c", config.toString(), "migrate"), 2);
            stderr(r).contains("typo.yml").contains("unknown key 'migrations.locatons'")
                    .containsPattern("known: [^)]*locations").containsPattern("known: [^)]*lockTimeout");
            runs.add(r);

            r = expect(sb(tmp, db, env("SWITCHBACK_MIGRATIONS_LOCK_TIMEOUT", "soon"), "migrate"), 2);
            stderr(r).contains("migrations.lockTimeout 'soon' is not a duration").contains("500ms, 5s, 2m");
            runs.add(r);

            r = expect(Cli.run(tmp, "--url", "jdbc:oracle:thin:@db.example:1521:orcl", "migrate"), 2);
            stderr(r).contains("Unsupported database URL 'jdbc:oracle:thin:@db.example:1521:orcl'")
                    .contains("jdbc:postgresql://").contains("jdbc:mariadb://").contains("jdbc:mysql://").contains("jdbc:sqlite:");
            runs.add(r);

            r = expect(sb(tmp, db, "--locations", "bad1", "migrate"), 2);
            stderr(r).contains("bad1/add_users.sql: not a migration name")
                    .contains("<version>_<description>.up.sql").contains("V<version>__<description>.sql")
                    .contains("nothing was run");
            runs.add(r);

            r = expect(sb(tmp, db, "--locations", "bad2", "migrate"), 2);
            stderr(r).contains("duplicate version 2: bad2/002_a.sql, bad2/2_b.sql");
            runs.add(r);

            r = expect(sb(tmp, db, "--locations", "bad3", "migrate"), 2);
            stderr(r).contains("bad3/007_gone.down.sql: down migration without an up migration for version 7");
            runs.add(r);

            for (Result run : runs) {
                stdout(run).doesNotContain("Applied");
                stderr(run).startsWith("error: ");
            }
            assertThat(db.tables()).as("tables created by runs that exited 2").isEmpty();
        }
        // the same on SQLite: no file appears
        Result r = expect(Cli.run(tmp, "--url", "jdbc:sqlite:state/app.db", "--locations", "bad2", "migrate"), 2);
        stderr(r).contains("duplicate version 2");
        assertThat(tmp.resolve("state")).doesNotExist();
    }

    static Stream<Arguments> usageErrors() {
        return Stream.of(
                Arguments.of(List.of("nosuch"), "nosuch"),
                Arguments.of(List.of("migrate", "--bogus"), "--bogus"),
                Arguments.of(List.of("rollback"), "--to"),
                Arguments.of(List.of("baseline"), "--version"));
    }

    @ParameterizedTest
    @MethodSource("usageErrors")
    void usageErrorsExitTwo(List<String> args, String named) {
        Result r = expect(Cli.run(tmp, args.toArray(String[]::new)), 2);
        stderr(r).contains(named).contains("Usage: switchback");
        stdout(r).isEmpty();
    }

    static Stream<Arguments> subcommands() {
        return Stream.of(
                Arguments.of("", List.of("migrate", "status", "verify", "rollback", "baseline", "repair", "unlock", "new", "Exit codes:")),
                Arguments.of("migrate", List.of("--target=VERSION", "--dry-run")),
                Arguments.of("status", List.of()),
                Arguments.of("verify", List.of()),
                Arguments.of("rollback", List.of("--to=VERSION", "--steps=N", "--version=VERSION", "--dry-run")),
                Arguments.of("baseline", List.of("--version=VERSION", "--description")),
                Arguments.of("repair", List.of()),
                Arguments.of("unlock", List.of("--force")),
                Arguments.of("new", List.of("DESCRIPTION", "--dir=DIR")));
    }

    @ParameterizedTest(name = "{0} --help")
    @MethodSource("subcommands")
    void helpWorksOnEveryCommandAndListsItsOptions(String command, List<String> options) {
        Result r = expect(command.isEmpty() ? Cli.run(tmp, "--help") : Cli.run(tmp, command, "--help"), 0);
        stdout(r).startsWith(("Usage: switchback " + command).strip())
                .contains("-h, --help")
                .contains("--url=").contains("--user=").contains("--password=").contains("--locations=")
                .contains("--json").contains("-c, --config=FILE");
        for (String option : options) {
            stdout(r).contains(option);
        }
        stderr(r).isEmpty();
    }

    // ---------------------------------------------------------------- exit 3: the lock

    @ParameterizedTest
    @EnumSource(value = Kind.class, names = {"POSTGRES", "MARIADB"})
    void lockHeldByAnotherMigratorExitsThreeNamingHostAndPid(Kind kind) throws Exception {
        Path m = tmp.resolve("migrations");
        write(m.resolve("001_gate.up.sql"), "CREATE TABLE gate (id INTEGER PRIMARY KEY, n INTEGER NOT NULL);\n"
                + "INSERT INTO gate (id, n) VALUES (1, 0);\n");
        // blocks on the row the test holds, so the migrator holds the migration lock for as long as the test needs
        write(m.resolve("002_wait_for_gate.up.sql"), (kind == Kind.MARIADB ? "SET SESSION innodb_lock_wait_timeout = 600;\n" : "")
                + "UPDATE gate SET n = n + 1 WHERE id = 1;\n");
        try (TestDb db = db(kind, tmp)) {
            expect(sb(tmp, db, "migrate", "--target", "1"), 0);
            Cli.Running holder = null;
            try (Connection gate = db.connect()) {
                gate.setAutoCommit(false);
                try (Statement st = gate.createStatement()) {
                    st.executeQuery("SELECT n FROM gate WHERE id = 1 FOR UPDATE").close();
                }
                List<String> args = new ArrayList<>(db.args());
                args.add("migrate");
                holder = Cli.start(tmp, env("SWITCHBACK_MIGRATIONS_STATEMENT_LOCK_TIMEOUT", "0"), args.toArray(String[]::new));
                awaitLockRecord(db, holder);

                Result r = expect(sb(tmp, db, env("SWITCHBACK_MIGRATIONS_LOCK_TIMEOUT", "1s"), "migrate"), 3);
                stderr(r).contains("Migration lock not acquired within 1000 ms: held by")
                        .contains(" on " + expectedHost() + " ").contains("(pid " + holder.pid() + ")");
                stdout(r).doesNotContain("Applied");

                r = expect(sb(tmp, db, "status", "--json"), 0);
                JsonNode lock = json(r).get("lock");
                assertThat(lock.isObject()).as(r.describe()).isTrue();
                assertThat(keys(lock)).containsExactlyInAnyOrder("holder", "since");
                assertThat(lock.get("holder").asText()).contains(expectedHost()).contains("(pid " + holder.pid() + ")");
                assertThat(Instant.parse(lock.get("since").asText())).isCloseTo(Instant.now(), within(Duration.ofMinutes(10)));

                r = expect(sb(tmp, db, "unlock"), 0);
                stdout(r).contains("Held by ").contains("(pid " + holder.pid() + ")");

                gate.rollback();
                Result done = expect(holder.await(), 0);
                stdout(done).contains("Applied 002 wait for gate");
            } finally {
                if (holder != null && holder.isAlive()) {
                    holder.kill();
                    holder.await();
                }
            }
            assertThat(db.count("SELECT n FROM gate WHERE id = 1")).isEqualTo(1);
            assertThat(db.count("SELECT COUNT(*) FROM switchback_lock")).as("holder record left behind").isZero();
        }
    }

    private static void awaitLockRecord(TestDb db, Cli.Running holder) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (System.nanoTime() < deadline) {
            if (!holder.isAlive()) {
                throw new AssertionError("the lock holder ended early:\n" + holder.await().describe());
            }
            try {
                if (db.count("SELECT COUNT(*) FROM switchback_lock WHERE id = 1") == 1) {
                    return;
                }
            } catch (IllegalStateException notYet) {
                // the lock table does not exist yet
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the background migrator never took the lock; stderr so far:\n" + holder.stderrSoFar());
    }

    @Test
    void staleSqliteLeaseExitsThreeUntilUnlockForce() {
        threeMigrations(tmp);
        TestDb db = TestDb.sqlite(tmp.resolve("app.db"));
        expect(sb(tmp, db, "migrate", "--target", "1"), 0);
        long now = System.currentTimeMillis();
        // what a migrator that crashed a moment ago leaves: a lease that has not expired yet
        db.execute("INSERT INTO switchback_lock (id, token, holder, host, pid, acquired_ms, heartbeat_ms, expires_ms) "
                + "VALUES (1, 'crashed', 'deployer', 'ghost-host', 424242, " + now + ", " + now + ", " + (now + 600_000) + ")");

        Result r = expect(sb(tmp, db, env("MIGRATION_LOCK_TIMEOUT", "700"), "migrate"), 3);
        stderr(r).contains("not acquired within 700 ms").contains("deployer on ghost-host (pid 424242)").contains("unlock --force");
        assertThat(db.tables()).doesNotContain("tags");

        r = expect(sb(tmp, db, "unlock"), 0);
        stdout(r).contains("Held by deployer on ghost-host (pid 424242)");
        assertThat(db.count("SELECT COUNT(*) FROM switchback_lock")).isEqualTo(1);

        r = expect(sb(tmp, db, "unlock", "--force"), 0);
        stdout(r).contains("Cleared the SQLite lease");
        assertThat(db.count("SELECT COUNT(*) FROM switchback_lock")).isZero();

        r = expect(sb(tmp, db, "migrate"), 0);
        stdout(r).contains("Migrated from 001 to 003: 2 applied");
    }

    @Test
    void migrateGroupAppliesEveryPendingMigrationOrNone() {
        Path m = threeMigrations(tmp);
        write(m.resolve("004_seed.sql"), "INSERT INTO no_such_table (id) VALUES (1);\n");
        TestDb db = TestDb.sqlite(tmp.resolve("app.db"));
        Result r = expect(sb(tmp, db, "migrate", "--group"), 1);
        stderr(r).contains("The group was rolled back: none of its 4 migrations is applied (3 ran before this one)");
        stdout(r).doesNotContain("Applied 001");
        assertThat(db.tables()).doesNotContain("items", "tags", "notes");

        write(m.resolve("004_seed.sql"), "INSERT INTO items (id, name) VALUES (1, 'a');\n");
        r = expect(sb(tmp, db, "migrate", "--group"), 0);
        assertOrdered(r, r.out(), "Applied 001", "Applied 002", "Applied 003", "Applied 004", "Migrated from none to 004: 4 applied");
        assertThat(db.count("SELECT COUNT(*) FROM items")).isEqualTo(1);
    }

    // ---------------------------------------------------------------- dry runs, target, baseline, new

    @Test
    void migrateDryRunOnAFreshSqlitePathCreatesNoFile() {
        threeMigrations(tmp);
        Result r = expect(Cli.run(tmp, "--url", "jdbc:sqlite:state/fresh.db", "migrate", "--dry-run", "--target", "2"), 0);
        assertOrdered(r, r.out(),
                "Dry run: 2 migration(s) would be applied to jdbc:sqlite:" + tmp.resolve("state/fresh.db")
                        + " (from none to 002); nothing was changed.",
                "-- 001 create items (migrations/001_create_items.up.sql)", "CREATE TABLE items (",
                "-- 002 add tags (migrations/002_add_tags.up.sql)", "INSERT INTO tags (id, label) VALUES (1, 'a; b');");
        stdout(r).doesNotContain("-- 003 ").doesNotContain("003_"); // not "003" alone: the temp folder's name may hold it
        assertThat(tmp.resolve("state")).doesNotExist();
    }

    /** status, verify, unlock and rollback --dry-run change nothing, so they must not create the SQLite file either. */
    @Test
    void readOnlyCommandsOnAFreshSqlitePathCreateNoFile() {
        threeMigrations(tmp);
        SoftAssertions soft = new SoftAssertions();
        for (List<String> command : List.of(List.of("status"), List.of("verify"), List.of("unlock"),
                List.of("rollback", "--to", "0", "--dry-run"))) {
            Path dir = tmp.resolve("state-" + command.get(0));
            List<String> args = new ArrayList<>(List.of("--url", "jdbc:sqlite:" + dir.resolve("fresh.db")));
            args.addAll(command);
            Result r = Cli.run(tmp, args.toArray(String[]::new));
            soft.assertThat(r.exit()).as(r.describe()).isZero();
            soft.assertThat(dir.resolve("fresh.db")).as("created by " + String.join(" ", command)).doesNotExist();
        }
        soft.assertAll();
    }

    @Test
    void baselineThenMigrateAppliesOnlyLaterVersions() {
        for (int v = 1; v <= 5; v++) {
            write(tmp.resolve("migrations/00" + v + "_create_t" + v + ".up.sql"), "CREATE TABLE t" + v + " (id INTEGER);\n");
        }
        TestDb db = TestDb.sqlite(tmp.resolve("app.db"));
        Result r = expect(sb(tmp, db, "baseline", "--version", "3"), 0);
        stdout(r).contains("Baselined at version 3");
        r = expect(sb(tmp, db, "migrate", "-q"), 0);
        assertOrdered(r, r.out(), "Applied 004 create t4", "Applied 005 create t5", "Migrated from 3 to 005: 2 applied");
        assertThat(r.err()).as("-q logs warnings and errors only\n%s", r.describe()).doesNotContain("[INFO]");
        stdout(r).doesNotContain("Applied 001").doesNotContain("Applied 002").doesNotContain("Applied 003");
        assertThat(db.tables()).contains("t4", "t5").doesNotContain("t1", "t2", "t3");
    }

    @Test
    void newCreatesTheNextFilesInTheProjectsStyle() throws IOException {
        Path config = copyQuickstart(tmp.resolve("quickstart"));
        Result r = expect(Cli.run(Cli.ROOT, "-c", config.toString(), "new", "add", "orders"), 0);
        Path up = tmp.resolve("quickstart/migrations/006_add_orders.up.sql");
        Path down = tmp.resolve("quickstart/migrations/006_add_orders.down.sql");
        stdout(r).contains("Created " + up).contains("Created " + down);
        assertThat(Files.readString(up)).isEqualTo("-- add orders\n");
        assertThat(Files.readString(down)).isEqualTo("-- undo: add orders\n");

        // a Flyway-style project with dotted versions gets V/U files
        Path flyway = tmp.resolve("flyway");
        write(flyway.resolve("db/migration/V1_1__init.sql"), "CREATE TABLE a (id INTEGER);\n");
        write(flyway.resolve("db/migration/U1_1__init.sql"), "DROP TABLE a;\n");
        write(flyway.resolve("switchback.yml"), "database:\n  url: jdbc:sqlite:app.db\nmigrations:\n  locations: db/migration\n");
        r = expect(Cli.run(flyway, "new", "Add orders!"), 0);
        stdout(r).contains("Created " + flyway.resolve("db/migration/V1_2__add_orders.sql"))
                .contains("Created " + flyway.resolve("db/migration/U1_2__add_orders.sql"));
        assertThat(flyway.resolve("db/migration/V1_2__add_orders.sql")).exists();
        assertThat(flyway.resolve("db/migration/U1_2__add_orders.sql")).exists();
        assertThat(flyway.resolve("app.db")).doesNotExist();
    }

    // ---------------------------------------------------------------- environment

    @Test
    void environmentAliasesAndPrecedence() {
        threeMigrations(tmp);
        write(tmp.resolve("switchback.yml"), "database:\n  url: jdbc:sqlite:file.db\n");

        Result r = expect(Cli.run(tmp, env("AUTO_MIGRATE", "false"), "migrate"), 0);
        stdout(r).contains("Migrations skipped");
        assertThat(tmp.resolve("file.db")).doesNotExist();

        r = expect(Cli.run(tmp, env("MIGRATION_DRY_RUN", "true"), "migrate"), 0);
        stdout(r).contains("Dry run: 3 migration(s) would be applied to jdbc:sqlite:" + tmp.resolve("file.db"))
                .contains("CREATE TABLE notes");
        assertThat(tmp.resolve("file.db")).doesNotExist();

        // env over file
        Map<String, String> env = env("SWITCHBACK_DATABASE_URL", "jdbc:sqlite:env.db", "SWITCHBACK_MIGRATIONS_TARGET", "1");
        r = expect(Cli.run(tmp, env, "migrate"), 0);
        stdout(r).contains("Migrated from none to 001: 1 applied").contains("Database: jdbc:sqlite:" + tmp.resolve("env.db"));
        assertThat(tmp.resolve("file.db")).doesNotExist();
        assertThat(TestDb.sqlite(tmp.resolve("env.db")).tables()).contains("items").doesNotContain("tags");

        // flags over env
        r = expect(Cli.run(tmp, env, "--url", "jdbc:sqlite:flag.db", "migrate", "--target", "2"), 0);
        stdout(r).contains("Migrated from none to 002: 2 applied");
        assertThat(TestDb.sqlite(tmp.resolve("flag.db")).tables()).contains("items", "tags").doesNotContain("notes");
        assertThat(TestDb.sqlite(tmp.resolve("env.db")).tables()).doesNotContain("tags");
        assertThat(tmp.resolve("file.db")).doesNotExist();
    }

    /** jdbc:mysql:// is listed as supported (Setting, Dialects.SUPPORTED, every error message). */
    @Test
    void mysqlSchemeUrlWorksAgainstMariaDb() {
        threeMigrations(tmp);
        try (TestDb db = TestDb.mariadb()) {
            String url = db.url().replace("jdbc:mariadb:", "jdbc:mysql:");
            Result r = expect(Cli.run(tmp, env("SWITCHBACK_MIGRATIONS_MAX_RETRIES", "0"), "--url", url, "--user", "root", "migrate"), 0);
            stdout(r).contains("Migrated from none to 003: 3 applied");
            assertThat(db.tables()).contains("items", "tags", "notes");
        }
    }
}

package dev.switchback.migration.lint;

import dev.switchback.migration.Migrator;
import dev.switchback.migration.Switchback;
import dev.switchback.migration.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * lint --rehearse on the real MariaDB: every ALTER on an existing table runs in a structure-only copy with
 * ALGORITHM=INSTANT, then ALGORITHM=INPLACE, LOCK=NONE appended, and the server's answer decides mysql-blocking-alter.
 */
class MariaDbRehearsalIT {
    private static final String BASE = """
            CREATE TABLE users (id BIGINT PRIMARY KEY, email VARCHAR(300) NOT NULL) DEFAULT CHARSET=utf8mb4;
            CREATE TABLE orders (id BIGINT PRIMARY KEY, note TEXT, props JSON);
            CREATE TABLE events (id BIGINT PRIMARY KEY, k INT, name VARCHAR(50), g INT AS (k + 1) VIRTUAL, INDEX (g));
            INSERT INTO users VALUES (1, 'a@example.com');
            INSERT INTO orders VALUES (1, 'first', '{}');
            """;

    @TempDir
    Path dir;
    TestDatabase db;

    @BeforeEach
    void migrateTheBase() throws IOException {
        db = TestDatabase.mariadb();
        write("001_base.sql", BASE);
        migrator().migrate();
    }

    @AfterEach
    void dropTheDatabase() {
        db.close();
    }

    private void write(String name, String sql) throws IOException {
        Files.writeString(dir.resolve(name), sql);
    }

    private Migrator migrator() {
        return Switchback.configure().url(db.url()).user(db.user()).password(db.password()).baseDir(dir).locations(".")
                .environment(Map.of()).load().withLint(LintConfig.DEFAULT);
    }

    private RehearsalReport rehearse() {
        Migrator m = migrator();
        return new Rehearsal(m.config(), LintConfig.DEFAULT, "pg_dump", "psql").run(m, null);
    }

    private static RehearsalReport.Statement statement(RehearsalReport r, String script, int number) {
        return r.migrations().stream().filter(m -> m.script().equals(script)).findFirst().orElseThrow()
                .statements().get(number - 1);
    }

    private static boolean blockingAlter(RehearsalReport r, String script) {
        return r.lint().of(script).stream().anyMatch(f -> f.rule().equals("mysql-blocking-alter") && f.blocks());
    }

    private String targetName() {
        return db.url().substring(db.url().lastIndexOf('/') + 1);
    }

    @Test
    void theServersAnswerWinsOverTheStaticGuess() throws Exception {
        write("002_widen.sql", "ALTER TABLE users MODIFY email VARCHAR(400) NOT NULL;\n");
        write("003_json.sql", "ALTER TABLE orders MODIFY props JSON NOT NULL;\n");
        write("004_check.sql", "ALTER TABLE orders ADD CONSTRAINT note_short CHECK (CHAR_LENGTH(note) < 1000);\n");
        write("005_virtual.sql", "ALTER TABLE events MODIFY name VARCHAR(50) NOT NULL;\n");
        write("006_column.sql", "ALTER TABLE orders ADD COLUMN seen INT;\n");
        write("007_order.sql", "ALTER TABLE orders ORDER BY note;\n");
        RehearsalReport r = rehearse();

        assertThat(r.server()).startsWith("MariaDB 10.");
        RehearsalReport.Statement widen = statement(r, "002_widen.sql", 1);
        assertThat(widen.probe().online()).as("utf8mb4 VARCHAR(300) to (400) stays over 255 bytes: no copy").isTrue();
        assertThat(widen.probe().verdict()).isEqualTo(RehearsalReport.AlterProbe.Verdict.INSTANT);
        assertThat(widen.disagreements()).singleElement().asString().contains("MariaDB ran it with ALGORITHM=INSTANT");
        assertThat(blockingAlter(r, "002_widen.sql")).as("the rehearsal's verdict wins").isFalse();

        RehearsalReport.Statement json = statement(r, "003_json.sql", 1);
        assertThat(json.probe().verdict()).as("NOT NULL rebuilds in place").isEqualTo(RehearsalReport.AlterProbe.Verdict.INPLACE);
        assertThat(json.disagreements()).isEmpty();
        assertThat(blockingAlter(r, "003_json.sql")).isFalse();

        RehearsalReport.Statement check = statement(r, "004_check.sql", 1);
        assertThat(check.probe().online()).isFalse();
        assertThat(check.probe().detail()).contains("ALGORITHM=INPLACE is not supported");
        assertThat(check.disagreements()).isEmpty();
        assertThat(blockingAlter(r, "004_check.sql")).isTrue();

        // only NOT NULL changes, which is online, but a table with an indexed virtual column is rebuilt by copying
        RehearsalReport.Statement virtual = statement(r, "005_virtual.sql", 1);
        assertThat(virtual.probe().online()).isFalse();
        assertThat(virtual.probe().detail()).contains("Try ALGORITHM=COPY");
        assertThat(virtual.disagreements()).singleElement().asString().contains("MariaDB refused ALGORITHM=INPLACE, LOCK=NONE");
        assertThat(blockingAlter(r, "005_virtual.sql")).as("found by the server where lint saw nothing").isTrue();
        assertThat(r.lint().of("005_virtual.sql")).singleElement().satisfies(f -> assertThat(f.message())
                .contains("ALTER TABLE events blocks writes").contains("Try ALGORITHM=COPY"));

        assertThat(statement(r, "006_column.sql", 1).probe().verdict()).isEqualTo(RehearsalReport.AlterProbe.Verdict.INSTANT);
        RehearsalReport.Statement order = statement(r, "007_order.sql", 1);
        assertThat(order.probe().verdict()).as("ORDER BY must come last: the clause cannot be appended")
                .isEqualTo(RehearsalReport.AlterProbe.Verdict.UNTESTED);
        assertThat(order.error()).isNull();
        assertThat(blockingAlter(r, "007_order.sql")).as("untested: lint's guess stands").isTrue();

        assertThat(r.scratchDropped()).isTrue();
        assertThat(db.count("SELECT count(*) FROM information_schema.schemata WHERE schema_name = '" + r.scratch()
                .substring(r.scratch().lastIndexOf('/') + 1) + "'")).isZero();
        assertThat(db.count("SELECT character_maximum_length FROM information_schema.columns WHERE table_schema = DATABASE() "
                + "AND table_name = 'users' AND column_name = 'email'")).as("the target is never changed").isEqualTo(300);
    }

    @Test
    void aStatementNamingAnotherDatabaseIsNotRunInTheScratchCopy() throws Exception {
        write("002_qualified.sql", "ALTER TABLE users ADD COLUMN a INT;\nALTER TABLE " + targetName() + ".users ADD COLUMN b INT;\n");
        RehearsalReport r = rehearse();
        RehearsalReport.Migration m = r.migrations().get(0);
        assertThat(m.note()).contains("names the database " + targetName());
        assertThat(m.statements()).hasSize(1);
        assertThat(db.count("SELECT count(*) FROM information_schema.columns WHERE table_schema = DATABASE() "
                + "AND table_name = 'users' AND column_name IN ('a', 'b')")).isZero();
    }

    /** Users, grants and global settings act on the server itself: the rehearsal stops before them. */
    @Test
    void aServerWideStatementIsNotRunInTheScratchCopy() throws Exception {
        String user = "sb_rehearsal_" + Long.toHexString(System.nanoTime());
        write("002_user.sql", "ALTER TABLE users ADD COLUMN a INT;\nCREATE USER '" + user + "'@'localhost';\n");
        try {
            RehearsalReport r = rehearse();
            RehearsalReport.Migration m = r.migrations().get(0);
            assertThat(m.note()).contains("may act beyond one database");
            assertThat(m.statements()).hasSize(1);
            assertThat(db.count("SELECT count(*) FROM mysql.user WHERE user = '" + user + "'")).isZero();
        } finally {
            db.execute("DROP USER IF EXISTS '" + user + "'@'localhost'");
        }
    }
}

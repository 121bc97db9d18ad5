package dev.switchback.cli;

import dev.switchback.cli.Cli.Result;
import dev.switchback.cli.TestDb.Kind;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code switchback import} as a user runs it, on seed 001's home-made {@code migrations(filename, applied_at)} table. */
@Execution(ExecutionMode.CONCURRENT)
class ImportCliIT {
    @TempDir
    Path tmp;

    private static Result sb(Path dir, TestDb db, String... args) {
        return Cli.on(dir, db, Map.of(), args);
    }

    private static void exec(TestDb db, String... statements) throws SQLException {
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            for (String s : statements) {
                st.execute(s);
            }
        }
    }

    private void write(String name, String sql) throws IOException {
        Files.createDirectories(tmp.resolve("migrations"));
        Files.writeString(tmp.resolve("migrations").resolve(name), sql);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void aHomeMadeHistoryIsPlannedRefusedWhileIncompleteThenImported(Kind kind) throws Exception {
        write("001_create_users.sql", "CREATE TABLE users (id INTEGER);\n");
        write("002_create_posts.sql", "CREATE TABLE posts (id INTEGER);\n");
        write("003_create_tags.sql", "CREATE TABLE tags (id INTEGER);\n");
        Files.createDirectories(tmp.resolve("db"));
        try (TestDb db = TestDb.create(kind, tmp)) {
            String id = switch (kind) {
                case POSTGRES -> "SERIAL";
                case MARIADB -> "INT AUTO_INCREMENT";
                case SQLITE -> "INTEGER";
            };
            exec(db, "CREATE TABLE migrations (id " + id + " PRIMARY KEY, filename VARCHAR(255) NOT NULL UNIQUE, "
                            + "applied_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP)",
                    "CREATE TABLE users (id INTEGER)", "CREATE TABLE posts (id INTEGER)",
                    "INSERT INTO migrations (filename, applied_at) VALUES ('001_create_users.sql', '2024-01-10 08:00:00')",
                    "INSERT INTO migrations (filename) VALUES ('002_create_posts.sql')",
                    "INSERT INTO migrations (filename) VALUES ('000_init.sql')");

            Result refused = sb(tmp, db, "import", "--from", "table:migrations");
            assertThat(refused.exit()).as(refused.describe()).isEqualTo(4);
            assertThat(refused.out()).as(refused.describe()).contains("missing_file: migrations filename '000_init.sql'",
                    "Nothing was written");

            exec(db, "DELETE FROM migrations WHERE filename = '000_init.sql'");
            Result plan = sb(tmp, db, "import", "--from", "table:migrations:filename", "--dry-run");
            assertThat(plan.exit()).as(plan.describe()).isEqualTo(0);
            assertThat(plan.out()).as(plan.describe()).contains("table history in migrations: 2 migration(s) applied, 1 pending",
                    "applied  001", "pending", "003_create_tags.sql", "Dry run: nothing was written.");
            assertThat(db.tables()).doesNotContain("switchback_history");
            Result json = sb(tmp, db, "--json", "import", "--from", "table:migrations", "--dry-run");
            assertThat(json.exit()).as(json.describe()).isEqualTo(0);
            assertThat(json.out()).as(json.describe()).contains("\"tool\" : \"table\"", "\"written\" : false",
                    "\"appliedAt\" : \"2024-01-10T");

            Result imported = sb(tmp, db, "import", "--from", "table:migrations");
            assertThat(imported.exit()).as(imported.describe()).isEqualTo(0);
            assertThat(imported.out()).as(imported.describe()).contains("Imported");
            Result migrated = sb(tmp, db, "migrate");
            assertThat(migrated.exit()).as(migrated.describe()).isEqualTo(0);
            assertThat(migrated.out()).as(migrated.describe()).contains("1 applied").doesNotContain("Applied 001");
            assertThat(db.tables()).contains("tags");
            assertThat(db.count("SELECT COUNT(*) FROM migrations")).isEqualTo(2);
        }
    }
}

package dev.switchback.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchback.cli.Cli.Result;
import dev.switchback.cli.TestDb.Kind;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** verify and drift through the launcher, on every database: the hand-made DROP COLUMN, reported and put back. */
@Execution(ExecutionMode.CONCURRENT)
class DriftCliIT {
    @TempDir
    Path tmp;

    private Result sb(TestDb db, int exit, String... args) {
        return Cli.expectOn(tmp, db, exit, args);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void aColumnDroppedByHandFailsVerifyAndDriftSaysHowToResolveIt(Kind kind) throws Exception {
        Path m = Files.createDirectories(tmp.resolve("migrations"));
        Files.writeString(m.resolve("001_flags.sql"), "CREATE TABLE flags (id INTEGER PRIMARY KEY, name VARCHAR(50) NOT NULL, "
                + "description VARCHAR(200));\nINSERT INTO flags (id, name) VALUES (1, 'beta');\n");
        try (TestDb db = TestDb.create(kind, tmp)) {
            sb(db, 0, "migrate");
            assertThat(sb(db, 0, "verify").out()).contains("Schema: the one the applied migrations produce (sha256:");
            assertThat(sb(db, 0, "drift").out()).contains("No drift in " + db.url());

            db.execute("ALTER TABLE flags DROP COLUMN description");
            JsonNode verifyJson = new ObjectMapper().readTree(sb(db, 4, "verify", "--json").out());
            assertThat(verifyJson.get("problems").get(0).get("type").asText()).isEqualTo("schema_drift");
            assertThat(verifyJson.get("schema").get("checked").asBoolean()).isTrue();
            assertThat(verifyJson.get("schema").get("differences").get(0).get("kind").asText()).isEqualTo("column");
            Result verify = sb(db, 4, "verify");
            assertThat(verify.out()).contains("Verification failed for " + db.url() + ": 1 problem(s)")
                    .contains("schema_drift: column flags.description: in the migrations (")
                    .contains("Schema drift: run 'switchback drift'");

            Result drift = sb(db, 4, "drift");
            assertThat(drift.out()).contains("Schema drift in " + db.url() + ": 1 difference(s)")
                    .contains("Either bring the database back to the migrations").contains("ADD COLUMN")
                    .contains("Or keep the change: 'switchback new --from-drift <description>'").contains("DROP COLUMN");

            JsonNode json = new ObjectMapper().readTree(sb(db, 4, "drift", "--json").out());
            assertThat(json.get("clean").asBoolean()).isFalse();
            assertThat(json.get("differences")).hasSize(1);
            JsonNode d = json.get("differences").get(0);
            assertThat(d.get("kind").asText()).isEqualTo("column");
            assertThat(d.get("table").asText()).isEqualTo("flags");
            assertThat(d.get("name").asText()).isEqualTo("description");
            assertThat(d.get("change").asText()).isEqualTo("missing");
            assertThat(d.get("actual").isNull()).isTrue();
            assertThat(json.get("toMigrations").get("sql")).hasSize(1);
            assertThat(json.get("toDatabase").get("sql").get(0).asText()).contains("DROP COLUMN");

            JsonNode status = new ObjectMapper().readTree(sb(db, 0, "status", "--json").out()).get("schema");
            assertThat(status.get("version").asText()).isEqualTo("001");
            assertThat(status.get("hash").asText()).isEqualTo(json.get("expectedHash").asText());
            assertThat(status.get("drift").asBoolean()).isTrue();
            assertThat(json.get("expectedFrom").asText()).isEqualTo("snapshot");
            assertThat(sb(db, 4, "drift", "--replay").out()).contains("Schema drift in " + db.url() + ": 1 difference(s)");
            assertThat(sb(db, 0, "drift", "--ignore", "column:flags.desc*").out()).contains("No drift in " + db.url());
            sb(db, 0, "verify", "--replay", "--ignore", "column:flags.description");
            assertThat(sb(db, 0, "new", "keep", "the", "drop", "--from-drift", "--no-record", "--dir",
                    tmp.resolve("recorded").toString()).out())
                    .contains("002_keep_the_drop.up.sql").contains("already has the change");
            assertThat(Files.readString(tmp.resolve("recorded/002_keep_the_drop.up.sql"))).contains("DROP COLUMN");

            String sql = sb(db, 4, "drift", "--sql").out().strip();
            assertThat(sql).doesNotContain("Schema drift").endsWith(";");
            db.execute(sql.substring(0, sql.length() - 1));
            sb(db, 0, "drift");
            sb(db, 0, "verify");
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void compareShowsTwoDatabasesOneMigrationApart(Kind kind) throws Exception {
        Path m = Files.createDirectories(tmp.resolve("migrations"));
        Files.writeString(m.resolve("001_flags.sql"), "CREATE TABLE flags (id INTEGER PRIMARY KEY);\n");
        Files.writeString(m.resolve("002_notes.sql"), "CREATE TABLE notes (id INTEGER PRIMARY KEY);\n");
        try (TestDb left = TestDb.create(kind, tmp); TestDb right = TestDb.create(kind, tmp.resolve("right"))) {
            sb(left, 0, "migrate");
            sb(right, 0, "migrate", "--target", "001");
            Result r = sb(left, 4, "compare", "--with-url", right.url());
            assertThat(r.out()).contains("Comparing " + left.url() + " with " + right.url(), "History: 1 difference(s)",
                    "  002 (notes): applied in " + left.url() + ", not in " + right.url(), "Schema: 1 difference(s)",
                    "  table notes: in " + left.url() + " (");
            JsonNode json = new ObjectMapper().readTree(sb(left, 4, "compare", "--with-url", right.url(), "--json").out());
            assertThat(json.get("history")).hasSize(1);
            assertThat(json.get("schema").get(0).get("label").asText()).isEqualTo("table notes");
            // the same comparison through a file, as from a network the other database cannot be reached from
            Path file = tmp.resolve("exports/right.json");
            assertThat(sb(right, 0, "compare", "--export", file.toString()).out()).contains("Wrote " + file);
            assertThat(Files.readString(file)).contains("\"format\" : \"switchback-environment/1\"").doesNotContain("up_sql");
            Result fromFile = sb(left, 4, "compare", "--with", file.toString(), "--format", "markdown");
            assertThat(fromFile.out()).contains("## Environments compared", "| verdict | **differ**: 1 history, 1 schema |",
                    "- 002 (notes): applied in " + left.url() + ", not in " + right.url() + " (right.json)", "| table notes | missing |");
            assertThat(sb(left, 4, "compare", "--with", file.toString(), "--ignore", "table:notes", "--json").out())
                    .contains("\"schema\" : [ ]");
            assertThat(sb(left, 2, "compare").err()).contains("--with-url URL, --with FILE");
            sb(right, 0, "migrate");
            assertThat(sb(left, 0, "compare", "--with-url", right.url()).out()).contains("History: the same", "Schema: the same");
        }
    }
}

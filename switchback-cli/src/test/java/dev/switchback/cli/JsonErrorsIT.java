package dev.switchback.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchback.cli.Cli.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** With --json, a command that fails prints {"error": {code, type, message}} on stdout, whatever the command. */
@Execution(ExecutionMode.CONCURRENT)
class JsonErrorsIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    /** The error object of a run that failed with {@code exit}; stdout holds nothing else. */
    private JsonNode error(int exit, String type, Map<String, String> env, String... args) throws IOException {
        Result r = Cli.run(tmp, env, args);
        assertThat(r.exit()).as(r.describe()).isEqualTo(exit);
        JsonNode out;
        try {
            out = JSON.readTree(r.out());
        } catch (IOException e) {
            throw new AssertionError("stdout is not JSON\n" + r.describe(), e);
        }
        assertThat(out).as(r.describe()).isNotNull();
        List<String> keys = new ArrayList<>();
        out.fieldNames().forEachRemaining(keys::add);
        assertThat(keys).as(r.describe()).containsExactly("error");
        JsonNode e = out.get("error");
        assertThat(e.get("code").isInt()).as(r.describe()).isTrue();
        assertThat(e.get("code").asInt()).isEqualTo(exit);
        assertThat(e.get("type").asText()).as(r.describe()).isEqualTo(type);
        assertThat(r.err()).as("the text stays on stderr").contains(e.get("message").asText().lines().findFirst().orElseThrow());
        return e;
    }

    private JsonNode error(int exit, String type, String... args) throws IOException {
        return error(exit, type, Map.of(), args);
    }

    @Test
    void everyFailingCommandPrintsItsErrorAsJsonOnStdout() throws IOException {
        String url = "jdbc:sqlite:" + tmp.resolve("app.db");
        Path m = Files.createDirectories(tmp.resolve("migrations"));
        Files.writeString(m.resolve("001_create_items.up.sql"), "CREATE TABLE items (id INTEGER PRIMARY KEY);\n");
        Files.writeString(m.resolve("002_broken.up.sql"), "CREATE TABLE a (id INTEGER);\n\nINSERT INTO no_such_table VALUES (1);\n");

        JsonNode migrate = error(1, "FAILED", "--url", url, "migrate", "--json", "--no-backup");
        assertThat(migrate.get("message").asText()).contains("migrations/002_broken.up.sql:3").contains("no_such_table");

        // the password in the URL never reaches the message
        JsonNode status = error(1, "FAILED", Map.of("SWITCHBACK_MIGRATIONS_MAX_RETRIES", "0"),
                "--url", "jdbc:postgresql://127.0.0.1:1/app?password=hunter2", "--json", "status");
        assertThat(status.get("message").asText()).contains("127.0.0.1:1").doesNotContain("hunter2");

        JsonNode restore = error(2, "CONFIG", "--url", url, "backup", "restore", "nope", "--yes", "--json");
        assertThat(restore.get("message").asText()).contains("with id or label 'nope'");

        Files.writeString(tmp.resolve("switchback.yml"), "database:\n  url: " + url + "\n  pasword: x\n");
        JsonNode config = error(2, "CONFIG", "-c", tmp.resolve("switchback.yml").toString(), "status", "--json");
        assertThat(config.get("message").asText()).contains("unknown key 'database.pasword'");

        Files.writeString(tmp.resolve("switchback.yml"), "migrations:\n  lockLease: 99999999999999999999s\n");
        JsonNode duration = error(2, "CONFIG", "-c", tmp.resolve("switchback.yml").toString(), "status", "--json");
        assertThat(duration.get("message").asText()).contains("migrations.lockLease '99999999999999999999s' is too long")
                .doesNotContain("For input string");

        JsonNode usage = error(2, "CONFIG", "--url", url, "migrate", "--json", "--no-such-flag");
        assertThat(usage.get("message").asText()).contains("--no-such-flag");

        // without --json, stdout stays empty
        Result text = Cli.run(tmp, "--url", url, "backup", "restore", "nope", "--yes");
        assertThat(text.exit()).isEqualTo(2);
        assertThat(text.out()).as(text.describe()).isEmpty();
    }
}

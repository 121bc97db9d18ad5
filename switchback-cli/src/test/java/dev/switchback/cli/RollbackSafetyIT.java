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

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A rollback whose down SQL destroys data (drops a column full of values) asks first and takes a backup first, so
 * there is a way back; on every database.
 */
@Execution(ExecutionMode.CONCURRENT)
class RollbackSafetyIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int NOTES = 4900;

    @TempDir
    Path tmp;

    private Result sb(TestDb db, int exit, String... args) {
        return Cli.expectOn(tmp, db, exit, args);
    }

    private void migrations(Kind kind) {
        Path m = tmp.resolve("migrations");
        write(m.resolve("001_create_orders.up.sql"), "CREATE TABLE orders (id INTEGER PRIMARY KEY, total INTEGER NOT NULL);\n");
        write(m.resolve("001_create_orders.down.sql"), "DROP TABLE orders;\n");
        write(m.resolve("002_index_totals.up.sql"), "CREATE INDEX orders_total ON orders (total);\n");
        write(m.resolve("002_index_totals.down.sql"), "DROP INDEX orders_total" + (kind == Kind.MARIADB ? " ON orders" : "") + ";\n");
        write(m.resolve("003_add_note.up.sql"), "ALTER TABLE orders ADD COLUMN note VARCHAR(100);\n");
        write(m.resolve("003_add_note.down.sql"), "-- the notes go with the column\nALTER TABLE orders DROP COLUMN note;\n");
    }

    private static void write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void fill(TestDb db) {
        StringBuilder values = new StringBuilder();
        for (int i = 1; i <= NOTES; i++) {
            values.append(i == 1 ? "" : ", ").append("(").append(i).append(", ").append(i % 97).append(", 'note ").append(i).append("')");
        }
        db.execute("INSERT INTO orders (id, total, note) VALUES " + values);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void aRollbackThatDestroysDataAsksFirstAndBacksUpFirst(Kind kind) throws Exception {
        try (TestDb db = TestDb.create(kind, tmp)) {
            migrations(kind);
            sb(db, 0, "migrate", "--no-backup");
            fill(db);

            // no terminal to ask on: refused without --yes, naming what would be lost; nothing undone, no backup
            Result refused = sb(db, 2, "rollback", "--to", "002");
            assertThat(refused.err()).as(refused.describe()).contains("--yes").contains("DROP COLUMN note")
                    .contains("003_add_note.down.sql");
            assertThat(refused.out()).doesNotContain("Undone");
            assertThat(db.count("SELECT COUNT(note) FROM orders")).isEqualTo(NOTES);
            assertThat(db.count("SELECT COUNT(*) FROM switchback_history")).isEqualTo(3);
            assertThat(tmp.resolve(".switchback/backups")).doesNotExist();

            // with --yes: a backup labelled pre-rollback-002 first, its id printed and in the audit log
            Result r = sb(db, 0, "rollback", "--to", "002", "--yes");
            assertThat(r.out()).as(r.describe()).containsPattern("Backup (\\S+) \\(pre-rollback-002\\) taken before rolling back\\.")
                    .contains("Rolled back from 003 to 002: 1 undone.");
            String id = r.out().replaceAll("(?s).*Backup (\\S+) \\(pre-rollback-002\\).*", "$1");
            assertThat(db.count("SELECT COUNT(*) FROM switchback_history")).isEqualTo(2);
            assertThat(db.string("SELECT detail FROM switchback_log WHERE action = 'rollback' AND outcome = 'success'"))
                    .contains(id);
            JsonNode list = JSON.readTree(sb(db, 0, "backup", "list", "--json").out()).get("backups");
            assertThat(list).hasSize(1);
            assertThat(list.get(0).get("id").asText()).isEqualTo(id);
            assertThat(list.get(0).get("label").asText()).isEqualTo("pre-rollback-002");

            // ...which is the way back: the 4,900 notes return
            sb(db, 0, "backup", "restore", "pre-rollback-002", "--yes", "--no-safety-backup");
            assertThat(db.count("SELECT COUNT(note) FROM orders")).isEqualTo(NOTES);
            assertThat(db.count("SELECT COUNT(*) FROM switchback_history")).isEqualTo(3);

            // a down that destroys no data (DROP INDEX) needs no --yes; --no-backup skips the backup, --json has the id
            sb(db, 0, "rollback", "--to", "002", "--yes", "--no-backup");
            JsonNode json = JSON.readTree(sb(db, 0, "rollback", "--to", "001", "--json").out());
            assertThat(json.get("undone")).hasSize(1);
            assertThat(json.get("backupId").asText()).matches("\\d{8}T\\d{9}Z-[0-9a-f]{4}");
            Result none = sb(db, 0, "rollback", "--to", "0", "--yes", "--no-backup");
            assertThat(none.out()).doesNotContain("Backup");
            assertThat(JSON.readTree(sb(db, 0, "backup", "list", "--json").out()).get("backups")).hasSize(2);
        }
    }

    /** On a terminal (a real pseudo-terminal, from script(1)) it lists what would be lost and goes on only on yes. */
    @org.junit.jupiter.api.Test
    void onATerminalItAsksAndOnlyYesGoesOn() throws Exception {
        try (TestDb db = TestDb.create(Kind.SQLITE, tmp)) {
            migrations(Kind.SQLITE);
            sb(db, 0, "migrate", "--no-backup");
            fill(db);

            String no = onTerminal(db, "no\n", "rollback", "--to", "002");
            assertThat(no).contains("Rolling back from 003 to 002 destroys data:")
                    .contains("migrations/003_add_note.down.sql:2: ALTER TABLE orders DROP COLUMN note")
                    .contains("A backup (pre-rollback-002) is taken first.")
                    .contains("Roll back from 003 to 002? Type yes to continue:")
                    .contains("Rollback cancelled; nothing was undone").endsWith("exit 2");
            assertThat(db.count("SELECT COUNT(note) FROM orders")).isEqualTo(NOTES);
            assertThat(tmp.resolve(".switchback/backups")).doesNotExist();

            String yes = onTerminal(db, "yes\n", "rollback", "--to", "002");
            assertThat(yes).contains("Type yes to continue:").contains("(pre-rollback-002) taken before rolling back.")
                    .contains("Rolled back from 003 to 002: 1 undone.").endsWith("exit 0");
            assertThat(db.string("SELECT group_concat(version) FROM switchback_history")).isEqualTo("001,002");
        }
    }

    /** Runs the CLI on a pseudo-terminal, typing {@code answer}; everything it showed, then "exit N". */
    private String onTerminal(TestDb db, String answer, String... args) throws Exception {
        List<String> words = new ArrayList<>(List.of(Cli.LAUNCHER.toString()));
        words.addAll(db.args());
        words.addAll(List.of(args));
        String command = String.join(" ", words.stream().map(w -> "'" + w.replace("'", "'\\''") + "'").toList());
        ProcessBuilder pb = new ProcessBuilder("script", "-qec", command, "/dev/null").directory(tmp.toFile()).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("SWITCHBACK_"));
        Process p = pb.start();
        try (var in = p.getOutputStream()) {
            in.write(answer.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        String shown = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (!p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("switchback on a terminal did not finish:\n" + shown);
        }
        return shown.replace("\r", "").strip() + "\nexit " + p.exitValue();
    }
}

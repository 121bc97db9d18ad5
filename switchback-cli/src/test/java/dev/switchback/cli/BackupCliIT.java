package dev.switchback.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchback.cli.Cli.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The backup commands as a user runs them, on the quick start's SQLite database. */
@Execution(ExecutionMode.CONCURRENT)
class BackupCliIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private Result sb(int exit, String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "-c";
        all[1] = tmp.resolve("switchback.yml").toString();
        System.arraycopy(args, 0, all, 2, args.length);
        Result r = Cli.run(tmp, all);
        assertThat(r.exit()).as(r.describe()).isEqualTo(exit);
        return r;
    }

    private void copyQuickstart() throws IOException {
        Path from = Cli.ROOT.resolve("examples/quickstart");
        try (Stream<Path> files = Files.walk(from)) {
            for (Path p : files.filter(Files::isRegularFile).filter(p -> !from.relativize(p).startsWith(".switchback")).toList()) {
                Path to = tmp.resolve(from.relativize(p).toString());
                Files.createDirectories(to.getParent());
                Files.copy(p, to);
            }
        }
    }

    @Test
    void migrateBacksUpFirstAndTheBackupCommandsWork() throws Exception {
        copyQuickstart();
        Result migrate = sb(0, "migrate", "--target", "3");
        assertThat(migrate.out()).containsPattern("Backup \\S+ \\(pre-003\\) taken before migrating\\.\nApplied 001");
        Result none = sb(0, "migrate", "--no-backup");
        assertThat(none.out()).doesNotContain("taken before migrating");

        String id = sb(0, "backup", "create", "--label", "manual").out().strip();
        assertThat(id).matches("\\d{8}T\\d{9}Z-[0-9a-f]{4}");
        JsonNode list = JSON.readTree(sb(0, "backup", "list", "--json").out()).get("backups");
        assertThat(list).hasSize(2);
        assertThat(list.get(0).get("id").asText()).isEqualTo(id);
        assertThat(list.get(0).get("label").asText()).isEqualTo("manual");
        assertThat(list.get(0).get("schemaVersion").asText()).isEqualTo("005");
        assertThat(list.get(1).get("label").asText()).isEqualTo("pre-003");
        assertThat(list.get(0).get("files").get(0).get("sha256").asText()).hasSize(64);
        assertThat(sb(0, "backup", "list").out()).contains("manual").contains("pre-003");
        assertThat(sb(0, "backup", "verify", "manual").out()).contains("is sound");

        // restore needs --yes when there is no terminal to confirm on
        Result refused = sb(2, "backup", "restore", "manual");
        assertThat(refused.err()).contains("--yes");
        sb(0, "rollback", "--to", "1", "--yes");
        Result restored = sb(0, "backup", "restore", "manual", "--yes");
        assertThat(restored.out()).contains("Schema version: 001 -> 005").contains("Safety backup of the state before:");
        assertThat(JSON.readTree(sb(0, "status", "--json").out()).get("current").asText()).isEqualTo("005");

        Result json = sb(0, "backup", "restore", "pre-003", "--yes", "--no-safety-backup", "--migrate-to", "4", "--json");
        JsonNode r = JSON.readTree(json.out());
        // pre-003 was taken before anything was applied: restoring it empties the database, then migrate-to 4 runs 001-004
        assertThat(r.get("versionAfter").isNull()).isTrue();
        assertThat(r.get("migratedTo").asText()).isEqualTo("004");

        Result pruned = sb(0, "backup", "prune", "--keep", "1");
        assertThat(pruned.out()).contains("Deleted");
        assertThat(JSON.readTree(sb(0, "backup", "list", "--json").out()).get("backups")).hasSize(1);
    }

    @Test
    void aCorruptBackupExitsFourAndRestoreLeavesTheDatabaseAlone() throws Exception {
        copyQuickstart();
        sb(0, "migrate", "--no-backup");
        String id = sb(0, "backup", "create").out().strip();
        Path data;
        try (Stream<Path> files = Files.walk(tmp.resolve(".switchback/backups").resolve(id))) {
            data = files.filter(p -> p.getFileName().toString().startsWith("database")).findFirst().orElseThrow();
        }
        try (RandomAccessFile f = new RandomAccessFile(data.toFile(), "rw")) {
            f.seek(100);
            f.write(f.read() ^ 0xff);
        }
        Result verify = sb(4, "backup", "verify", id);
        assertThat(verify.out()).contains("failed verification").contains(data.getFileName().toString());
        sb(0, "rollback", "--steps", "1", "--yes");
        Result restore = sb(4, "backup", "restore", id, "--yes");
        assertThat(restore.err()).contains("Restore refused").contains("not touched");
        assertThat(JSON.readTree(sb(0, "status", "--json").out()).get("current").asText()).isEqualTo("004");
    }

    @Test
    void badLabelsAndUnknownBackupsExitTwo() throws Exception {
        copyQuickstart();
        sb(0, "migrate", "--no-backup");
        assertThat(sb(2, "backup", "create", "--label", "../x").err()).contains("Invalid backup label '../x'");
        assertThat(sb(2, "backup", "verify", "nope").err()).contains("with id or label 'nope'");
        try (Stream<Path> s = Files.exists(tmp.resolve(".switchback/backups")) ? Files.list(tmp.resolve(".switchback/backups")) : Stream.empty()) {
            assertThat(s.toList()).isEmpty();
        }
        assertThat(Files.walk(tmp).sorted(Comparator.reverseOrder()).count()).isPositive();
    }
}

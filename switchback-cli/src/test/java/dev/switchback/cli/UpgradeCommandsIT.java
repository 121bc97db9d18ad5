package dev.switchback.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import static dev.switchback.cli.Cli.ok;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The upgrade commands around a blue-green perform, without steady traffic: cleanup waiting for a request in flight,
 * maintenance and pause, the admin token, snapshots kept, contract migrations, the lint judgement and rollback --schema.
 * A real daemon and real release processes (examples/shop) on 127.0.0.1, one of each per test with a folder and ports of
 * its own, so the tests run concurrently (UpgradeIT, which judges requests under load, runs alone).
 */
@Execution(ExecutionMode.CONCURRENT)
class UpgradeCommandsIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void cleanupWaitsForTheRequestsStillInFlight() throws Exception {
        try (DaemonFixture d = new DaemonFixture(tmp, 5, "")) {
            d.start();
            ok(d.cli("upgrade", "perform", "--release", "v1"));
            // v2 is made ready first, so the slow request starts on blue right before the switch, with a wide margin
            ok(d.cli("upgrade", "perform", "--release", "v2", "--no-auto-switch"));
            CompletableFuture<HttpResponse<String>> slow = CompletableFuture.supplyAsync(() -> {
                try {
                    return d.get(d.routerPort, "/slow?ms=15000");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread.sleep(500);
            ok(d.cli("upgrade", "switch", "green"));
            assertThat(slow).isNotDone();
            Cli.Result refused = d.cli("upgrade", "cleanup", "green");
            assertThat(refused.exit()).isEqualTo(2);
            assertThat(refused.err()).contains("active slot");
            ok(d.cli("upgrade", "cleanup", "blue"));
            assertThat(slow).isDone();
            assertThat(slow.get().statusCode()).isEqualTo(200);
            assertThat(slow.get().headers().firstValue("X-Slot")).contains("blue");
            assertThat(d.shopProcesses()).hasSize(1);
            JsonNode status = JSON.readTree(ok(d.cli("upgrade", "status", "--json")).out());
            assertThat(status.path("slots").path("blue").path("state").asText()).isEqualTo("stopped");
        }
    }

    @Test
    void maintenancePauseAndTheAdminToken() throws Exception {
        try (DaemonFixture d = new DaemonFixture(tmp, 5, "")) {
            d.start();
            ok(d.cli("upgrade", "perform", "--release", "v1"));

            assertThat(d.post("/api/deployments/maintenance", "{\"on\": true}", null).statusCode()).isEqualTo(401);
            assertThat(d.post("/api/deployments/maintenance", "{\"on\": true}", "wrong").statusCode()).isEqualTo(401);
            assertThat(d.get(d.routerPort, "/").statusCode()).as("nothing was done").isEqualTo(200);

            ok(d.cli("upgrade", "maintenance", "on", "--message", "Upgrading the shop"));
            HttpResponse<String> m = d.get(d.routerPort, "/");
            assertThat(m.statusCode()).isEqualTo(503);
            assertThat(m.headers().firstValue("Retry-After")).isPresent();
            assertThat(m.body()).contains("Upgrading the shop");
            assertThat(d.get(d.adminPort, "/health").statusCode()).isEqualTo(200);
            ok(d.cli("upgrade", "maintenance", "off"));
            assertThat(d.get(d.routerPort, "/").statusCode()).isEqualTo(200);

            ok(d.cli("upgrade", "pause", "--max", "30s"));
            CompletableFuture<HttpResponse<String>> held = CompletableFuture.supplyAsync(() -> {
                try {
                    return d.get(d.routerPort, "/");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread.sleep(1500);
            assertThat(held).as("held while paused").isNotDone();
            ok(d.cli("upgrade", "resume"));
            assertThat(held.get().statusCode()).isEqualTo(200);

            ok(d.cli("upgrade", "pause", "--max", "1s"));
            assertThat(d.get(d.routerPort, "/").statusCode()).as("held past --max").isEqualTo(503);
            assertThat(d.get(d.routerPort, "/").statusCode()).as("the pause ended by itself").isEqualTo(200);
        }
    }

    @Test
    void onlyTheNewestSnapshotsAreKept() throws Exception {
        try (DaemonFixture d = new DaemonFixture(tmp, 2, "")) {
            d.start();
            ok(d.cli("upgrade", "perform", "--release", "v1"));
            ok(d.cli("upgrade", "perform", "--release", "v2"));
            ok(d.cli("upgrade", "perform", "--release", "v2", "--skip-migrations"));
            Path deployments = tmp.resolve(".switchback/deployments");
            try (Stream<Path> s = Files.list(deployments)) {
                List<String> snapshots = s.map(p -> p.getFileName().toString()).filter(n -> n.matches("(blue|green)-\\d{8}-\\d{6}.*")).toList();
                assertThat(snapshots).hasSize(2);
                for (String snap : snapshots) {
                    JsonNode meta = JSON.readTree(deployments.resolve(snap).resolve("metadata.json").toFile());
                    assertThat(meta.path("release").asText()).isEqualTo("v2");
                    assertThat(meta.path("outcome").asText()).isEqualTo("success");
                }
            }
            assertThat(Files.readString(deployments.resolve("active")).strip()).isEqualTo("blue");
            JsonNode history = JSON.readTree(deployments.resolve("history.json").toFile());
            assertThat(history.findValuesAsText("action")).containsExactly("perform", "perform", "perform");
            JsonNode v2 = JSON.readTree(ok(d.cli("upgrade", "status", "--json")).out());
            assertThat(v2.path("slots").path("blue").path("release").asText()).isEqualTo("v2");
        }
    }

    @Test
    void aContractMigrationWaitsUntilTheOlderReleaseIsCleanedUp() throws Exception {
        try (DaemonFixture d = new DaemonFixture(tmp, 5, "")) {
            d.start();
            ok(d.cli("upgrade", "perform", "--release", "v1"));
            ok(d.cli("upgrade", "perform", "--release", "v2"));
            Cli.Result refused = d.cli("upgrade", "perform", "--release", "v3");
            assertThat(refused.exit()).as(refused.describe()).isEqualTo(5);
            assertThat(refused.err()).contains("contract migration").contains("004").contains("upgrade cleanup blue");
            assertThat(d.get(d.routerPort, "/").headers().firstValue("X-Slot")).contains("green");
            assertThat(d.shopProcesses()).as("v1 still warm, nothing started").hasSize(2);

            ok(d.cli("upgrade", "cleanup", "blue"));
            assertThat(ok(d.cli("upgrade", "perform", "--release", "v3")).out()).contains("Schema: 003 -> 004");
        }
    }

    private static Path release(Path releases, String shipped, String name, String... extra) throws Exception {
        Path migrations = Files.createDirectories(releases.resolve(name).resolve("migrations"));
        try (Stream<Path> files = Files.list(Cli.ROOT.resolve("examples/shop/releases").resolve(shipped).resolve("migrations"))) {
            for (Path f : files.toList()) {
                Files.copy(f, migrations.resolve(f.getFileName().toString()));
            }
        }
        for (int i = 0; i < extra.length; i += 2) {
            Files.writeString(migrations.resolve(extra[i]), extra[i + 1]);
        }
        return migrations;
    }

    @Test
    void theDaemonJudgesAReleasesMigrationsWithLintAndAllowUnsafeOverrulesIt() throws Exception {
        // v1 as shipped plus a gift_cards table; v2 as shipped plus a rename of one of its columns: a lint error
        // (v1, still serving, would lose the column it knows), so perform refuses unless told --allow-unsafe
        Path releases = tmp.resolve("releases");
        String giftCards = "CREATE TABLE gift_cards (id INTEGER PRIMARY KEY, code TEXT);\n";
        release(releases, "v1", "v1", "002.1_gift_cards.up.sql", giftCards);
        release(releases, "v2", "v2", "002.1_gift_cards.up.sql", giftCards,
                "004_rename_code.up.sql", "ALTER TABLE gift_cards RENAME COLUMN code TO token;\n");
        try (DaemonFixture d = new DaemonFixture(tmp, 5, "", "", releases)) {
            d.start();
            ok(d.cli("upgrade", "perform", "--release", "v1"));
            Cli.Result refused = d.cli("upgrade", "perform", "--release", "v2");
            assertThat(refused.exit()).as(refused.describe()).isEqualTo(5);
            assertThat(refused.err()).contains("rename-column").contains("004_rename_code");
            assertThat(d.shopProcesses()).as("only v1 runs").hasSize(1);
            assertThat(d.get(d.routerPort, "/").headers().firstValue("X-Slot")).contains("blue");

            assertThat(ok(d.cli("upgrade", "perform", "--release", "v2", "--allow-unsafe")).out()).contains("-> 004");
            assertThat(d.get(d.routerPort, "/").headers().firstValue("X-Slot")).contains("green");
        }
    }

    private static String label(Path manifest) {
        try {
            return JSON.readTree(manifest.toFile()).path("label").asText();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The shop's SQLite database as the daemon left it: applied versions and whether v2's column exists. */
    private static void sql(Path dir, String sql) throws Exception {
        try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(".switchback/shop.db"));
             var st = c.createStatement()) {
            st.execute(sql);
        }
    }

    private static String schema(Path dir) throws Exception {
        try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(".switchback/shop.db"));
             var st = c.createStatement();
             var rs = st.executeQuery("SELECT group_concat(version, ',') FROM (SELECT version FROM switchback_history "
                     + "WHERE state = 'success' ORDER BY installed_rank)")) {
            rs.next();
            String versions = rs.getString(1);
            try (var cols = c.createStatement().executeQuery("SELECT COUNT(*) FROM pragma_table_info('orders') WHERE name = 'note'")) {
                cols.next();
                return versions + (cols.getInt(1) == 1 ? " +note" : " -note");
            }
        }
    }

    @Test
    void rollbackUndoesTheSchemaWithDownSqlOrFromThePreUpgradeBackup() throws Exception {
        try (DaemonFixture d = new DaemonFixture(tmp, 5, "")) {
            d.start();
            ok(d.cli("upgrade", "perform", "--release", "v1"));
            ok(d.cli("upgrade", "perform", "--release", "v2"));
            assertThat(schema(tmp)).isEqualTo("001,002,003 +note");
            // an index made by hand is drift from the snapshot perform's migrate took: the migrations' health says so
            sql(tmp, "CREATE INDEX orders_note_tmp ON orders (note)");
            var drifted = d.get(d.adminPort, "/api/migrations/health");
            assertThat(drifted.statusCode()).isEqualTo(503);
            assertThat(drifted.body()).contains("schema_drift");
            sql(tmp, "DROP INDEX orders_note_tmp");
            assertThat(d.get(d.adminPort, "/api/migrations/health").statusCode()).isEqualTo(200);

            Cli.Result down = ok(d.cli("upgrade", "rollback", "--schema", "down"));
            assertThat(down.out()).contains("Undid 1 migration(s) of v2").contains("back at 002")
                    .containsPattern("Backup \\S+ \\(pre-rollback-002\\) was taken first");
            assertThat(schema(tmp)).isEqualTo("001,002 -note");
            // the down dropped v2's column: the backup taken first is the way back
            try (Stream<Path> backups = Files.list(tmp.resolve(".switchback/backups"))) {
                assertThat(backups.map(p -> p.resolve("manifest.json")).filter(Files::exists).map(UpgradeCommandsIT::label))
                        .contains("pre-rollback-002");
            }
            assertThat(d.get(d.routerPort, "/").headers().firstValue("X-Slot")).contains("blue");

            ok(d.cli("upgrade", "perform", "--release", "v2"));
            assertThat(schema(tmp)).isEqualTo("001,002,003 +note");
            Cli.Result refused = d.cli("upgrade", "rollback", "--schema", "restore");
            assertThat(refused.exit()).as(refused.describe()).isEqualTo(2);
            assertThat(refused.err()).contains("--yes");
            assertThat(schema(tmp)).isEqualTo("001,002,003 +note");

            Cli.Result restore = ok(d.cli("upgrade", "rollback", "--schema", "restore", "--yes"));
            assertThat(restore.out()).contains("Restored backup").contains("taken before v2 migrated");
            assertThat(schema(tmp)).isEqualTo("001,002 -note");
            assertThat(d.get(d.routerPort, "/").statusCode()).isEqualTo(200);
            assertThat(d.get(d.routerPort, "/").headers().firstValue("X-Slot")).contains("blue");
        }
    }
}

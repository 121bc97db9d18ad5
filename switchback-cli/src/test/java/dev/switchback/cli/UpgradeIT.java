package dev.switchback.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import static dev.switchback.cli.Cli.ok;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Blue-green upgrades end to end: a real daemon, real release processes (examples/shop), real sockets on
 * 127.0.0.1, steady traffic from 24 clients. Every loop is bounded in time.
 */
class UpgradeIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    /** A switch as seen from outside: traffic may move any time between start and done. */
    private record Move(long start, long done, String slot) {
    }

    private static Move move(String slot, Runnable action) {
        long start = System.nanoTime();
        action.run();
        return new Move(start, System.nanoTime(), slot);
    }

    @Test
    void performSwitchAndRollbackUnderLoadLoseNoRequest() throws Exception {
        try (DaemonFixture d = new DaemonFixture(tmp, 5, "")) {
            d.start();
            ok(d.cli("upgrade", "perform", "--release", "v1"));
            LoadGenerator load = new LoadGenerator(d.routerPort, 24, Duration.ofMinutes(4));
            Thread.sleep(1000);
            List<Move> moves = new ArrayList<>();
            moves.add(new Move(0, 0, "blue"));
            moves.add(move("green", () -> assertThat(ok(d.cli("upgrade", "perform", "--release", "v2")).out()).contains("Traffic switched to green")));
            moves.add(move("blue", () -> ok(d.cli("upgrade", "rollback"))));
            moves.add(move("green", () -> ok(d.cli("upgrade", "switch", "green"))));
            moves.add(move("blue", () -> ok(d.cli("upgrade", "rollback"))));
            Thread.sleep(1000);
            List<LoadGenerator.Sample> samples = load.stop();

            assertThat(LoadGenerator.failures(samples)).as("failed requests").isEmpty();
            assertThat(samples.size()).isGreaterThan(200);
            for (LoadGenerator.Sample s : samples) {
                for (int i = 0; i < moves.size(); i++) {
                    long after = moves.get(i).done();
                    long before = i + 1 < moves.size() ? moves.get(i + 1).start() : Long.MAX_VALUE;
                    if (s.start() > after && s.end() < before) {
                        assertThat(s.slot()).as("a request sent while %s was active", moves.get(i).slot()).isEqualTo(moves.get(i).slot());
                    }
                }
            }
            System.out.printf("switch test: %d requests, 0 failed, longest %d ms%n", samples.size(),
                    samples.stream().mapToLong(s -> (s.end() - s.start()) / 1_000_000).max().orElse(0));

            JsonNode status = JSON.readTree(ok(d.cli("upgrade", "status", "--json")).out());
            assertThat(status.path("active").asText()).isEqualTo("blue");
            assertThat(status.path("standby").asText()).isEqualTo("green");
            assertThat(status.path("slots").path("green").path("release").asText()).isEqualTo("v2");
            assertThat(status.path("slots").path("green").path("healthy").asBoolean()).isTrue();
            assertThat(status.path("history")).hasSizeGreaterThanOrEqualTo(5);

            String metrics = d.get(d.adminPort, "/metrics").body();
            assertThat(metrics).contains("switchback_router_requests_total{slot=\"green\",status=\"200\"}")
                    .contains("switchback_switches_total").contains("switchback_migration_duration_seconds");
            assertThat(d.get(d.adminPort, "/health/ready").statusCode()).isEqualTo(200);
            assertThat(d.get(d.adminPort, "/api/migrations/health").statusCode()).isEqualTo(200);

            // the service's password never shows: snapshots, state, history, logs, status
            StringBuilder everything = new StringBuilder(d.log()).append(ok(d.cli("upgrade", "status", "--json")).out());
            try (Stream<Path> files = Files.walk(tmp.resolve(".switchback/deployments"))) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    everything.append(Files.readString(f));
                }
            }
            everything.append(Files.readString(tmp.resolve(".switchback/state.json")));
            assertThat(everything.toString()).doesNotContain("s3cr3t-shop-pass").contains("\"DATABASE_PASSWORD\" : \"****\"");
        }
    }

    @Test
    void releasesThatNeverBecomeHealthyNeverTakeTraffic() throws Exception {
        try (DaemonFixture d = new DaemonFixture(tmp, 5, "")) {
            d.start();
            ok(d.cli("upgrade", "perform", "--release", "v1"));
            LoadGenerator load = new LoadGenerator(d.routerPort, 20, Duration.ofMinutes(4));
            Cli.Result exits = d.cli("upgrade", "perform", "--release", "bad-exit", "--skip-migrations");
            assertThat(exits.exit()).as(exits.describe()).isEqualTo(4);
            assertThat(exits.err()).contains("exited before becoming healthy").contains("SHOP_FAIL=exit").contains("traffic stays on v1");
            Cli.Result unhealthy = d.cli("upgrade", "perform", "--release", "bad-health", "--skip-migrations", "--timeout", "4");
            assertThat(unhealthy.exit()).as(unhealthy.describe()).isEqualTo(4);
            assertThat(unhealthy.err()).contains("did not become healthy within 4 s");
            Cli.Result errors = d.cli("upgrade", "perform", "--release", "bad-500", "--skip-migrations", "--timeout", "3");
            assertThat(errors.exit()).as(errors.describe()).isEqualTo(4);
            List<LoadGenerator.Sample> samples = load.stop();

            assertThat(LoadGenerator.failures(samples)).as("failed requests").isEmpty();
            assertThat(samples).isNotEmpty().allMatch(s -> "blue".equals(s.slot()));
            assertThat(d.shopProcesses()).as("only v1 still runs").hasSize(1);
            JsonNode status = JSON.readTree(ok(d.cli("upgrade", "status", "--json")).out());
            assertThat(status.path("active").asText()).isEqualTo("blue");
            assertThat(status.path("history").findValuesAsText("outcome")).containsSubsequence("success", "unhealthy", "unhealthy", "unhealthy");
            assertThat(d.get(d.adminPort, "/metrics").body()).contains("switchback_health_check_failures_total 3.0");
        }
    }

    @Test
    void aKilledDaemonAdoptsItsReleasesWithoutStartingThemTwice() throws Exception {
        try (DaemonFixture d = new DaemonFixture(tmp, 5, "")) {
            d.start();
            ok(d.cli("upgrade", "perform", "--release", "v1"));
            ok(d.cli("upgrade", "perform", "--release", "v2"));
            List<Long> before = d.shopProcesses().stream().map(ProcessHandle::pid).sorted().toList();
            assertThat(before).hasSize(2);
            LoadGenerator load = new LoadGenerator(d.routerPort, 20, Duration.ofMinutes(2));
            Thread.sleep(500);
            d.kill();
            long restart = System.nanoTime();
            d.start();
            HttpResponse<String> first = d.get(d.routerPort, "/");
            long backMs = (System.nanoTime() - restart) / 1_000_000;
            assertThat(first.statusCode()).isEqualTo(200);
            assertThat(first.headers().firstValue("X-Slot")).contains("green");
            Thread.sleep(1000);
            List<LoadGenerator.Sample> samples = load.stop();
            System.out.printf("daemon restart: traffic back %d ms after the new process started%n", backMs);

            assertThat(d.shopProcesses().stream().map(ProcessHandle::pid).sorted().toList()).as("no second copy").isEqualTo(before);
            long lastFailure = samples.stream().filter(s -> s.status() != 200).mapToLong(LoadGenerator.Sample::end).max().orElse(0);
            assertThat(samples.stream().filter(s -> s.start() > lastFailure).count()).as("traffic flows again").isPositive();
            assertThat(d.log()).contains("Adopted v1 in blue").contains("Adopted v2 in green");
            ok(d.cli("upgrade", "rollback"));
            assertThat(d.get(d.routerPort, "/").headers().firstValue("X-Slot")).contains("blue");
        }
    }

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
                assertThat(backups.map(p -> p.resolve("manifest.json")).filter(Files::exists).map(UpgradeIT::label))
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

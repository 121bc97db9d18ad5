package dev.switchback.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static dev.switchback.cli.Cli.ok;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Blue-green upgrades end to end under load: a real daemon, real release processes (examples/shop), real sockets on
 * 127.0.0.1, steady traffic from 20-24 clients, asserting that no request fails. Every loop is bounded in time.
 * Isolated: the machine is this class's alone (the upgrade commands without traffic are in UpgradeCommandsIT).
 */
@Isolated
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
}

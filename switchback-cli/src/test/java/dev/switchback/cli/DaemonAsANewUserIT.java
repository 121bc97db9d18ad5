package dev.switchback.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static dev.switchback.cli.Cli.ok;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What trying the daemon as a new user would turned up: a real daemon, real release processes (examples/shop) on 127.0.0.1.
 * Each test has a daemon, ports and folder of its own and judges no timing under load, so the tests run concurrently: most
 * of their time is spent waiting for JVMs to start and health checks to pass.
 */
@Execution(ExecutionMode.CONCURRENT)
class DaemonAsANewUserIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private static JsonNode status(DaemonFixture d) throws Exception {
        return JSON.readTree(ok(d.cli("upgrade", "status", "--json")).out());
    }

    private static String servedBy(DaemonFixture d) throws Exception {
        return d.get(d.routerPort, "/").headers().firstValue("X-Slot").orElse("none");
    }

    @Test
    void skipHealthStartsTheReleaseButNeverSwitchesToOneThatExited() throws Exception {
        try (DaemonFixture d = new DaemonFixture(tmp, 5, "")) {
            d.start();
            ok(d.cli("upgrade", "perform", "--release", "v1"));
            Cli.Result started = ok(d.cli("upgrade", "perform", "--release", "bad-exit", "--skip-migrations", "--skip-health"));
            assertThat(started.out()).contains("not switched").contains("upgrade switch green").doesNotContain("Traffic switched");
            assertThat(servedBy(d)).isEqualTo("blue");
            assertThat(status(d).path("history").findValuesAsText("detail")).as("the history says what is true")
                    .contains("started without a health check, not switched").doesNotContain("healthy, not switched");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!d.status().path("slots").path("green").path("state").asText().equals("exited") && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            assertThat(status(d).path("slots").path("green").path("state").asText()).isEqualTo("exited");
            Cli.Result refused = d.cli("upgrade", "switch", "green", "--skip-health");
            assertThat(refused.exit()).as(refused.describe()).isEqualTo(2);
            assertThat(refused.err()).contains("no running release");
            assertThat(servedBy(d)).isEqualTo("blue");

            // the runbook's AUTO_SWITCH=true does not make an unchecked release take traffic; the --auto-switch flag does
            Cli.Result fromEnv = ok(d.cli(Map.of("AUTO_SWITCH", "true"), "upgrade", "perform", "--release", "v1", "--skip-migrations",
                    "--skip-health"));
            assertThat(fromEnv.out()).contains("not switched");
            assertThat(servedBy(d)).isEqualTo("blue");
            Cli.Result flag = ok(d.cli("upgrade", "perform", "--release", "v2", "--skip-migrations", "--skip-health", "--auto-switch"));
            assertThat(flag.out()).contains("Traffic switched to green");
        }
    }

    @Test
    void theRunbooksEnvironmentOnTheUpgradeCommandOverridesTheDaemonsSettingsForThatPerform() throws Exception {
        try (DaemonFixture d = new DaemonFixture(tmp, 5, "")) {
            d.start();
            Cli.Result held = ok(d.cli(Map.of("AUTO_SWITCH", "false"), "upgrade", "perform", "--release", "v1"));
            assertThat(held.out()).contains("Healthy but not switched");
            assertThat(status(d).path("active").isNull()).isTrue();
            ok(d.cli("upgrade", "switch", "blue"));

            Cli.Result v2 = ok(d.cli(Map.of("AUTO_CLEANUP", "true", "HEALTH_CHECK_INTERVAL", "3"), "upgrade", "perform", "--release", "v2",
                    "--json"));
            JsonNode result = JSON.readTree(v2.out());
            assertThat(result.path("cleanedUp").asBoolean()).isTrue();
            JsonNode meta = JSON.readTree(Path.of(result.path("snapshot").asText()).resolve("metadata.json").toFile());
            assertThat(meta.path("health").path("intervalMs").asLong()).isEqualTo(3000);
            assertThat(meta.path("health").path("timeoutMs").asLong()).as("the daemon's own value").isEqualTo(60_000);
            assertThat(status(d).path("slots").path("blue").path("state").asText()).isEqualTo("stopped");

            Cli.Result quick = d.cli(Map.of("HEALTH_CHECK_TIMEOUT", "3"), "upgrade", "perform", "--release", "bad-health",
                    "--skip-migrations");
            assertThat(quick.exit()).as(quick.describe()).isEqualTo(4);
            assertThat(quick.err()).contains("did not become healthy within 3 s");
            assertThat(servedBy(d)).isEqualTo("green");
        }
    }

    @Test
    void aFailedPerformIntoTheWarmSlotPutsThePreviousReleaseBackAndRollbackGoesToIt() throws Exception {
        try (DaemonFixture d = new DaemonFixture(tmp, 5, "")) {
            d.start();
            ok(d.cli("upgrade", "perform", "--release", "v1"));
            ok(d.cli("upgrade", "perform", "--release", "v2"));
            Cli.Result failed = d.cli("upgrade", "perform", "--release", "bad-exit", "--skip-migrations");
            assertThat(failed.exit()).as(failed.describe()).isEqualTo(4);
            assertThat(failed.err()).contains("traffic stays on v2").contains("v1, stopped to make room, runs again in blue");

            JsonNode blue = status(d).path("slots").path("blue");
            assertThat(blue.path("release").asText()).isEqualTo("v1");
            assertThat(blue.path("state").asText()).isEqualTo("standby");
            assertThat(blue.path("healthy").asBoolean()).isTrue();
            assertThat(d.shopProcesses()).as("v1 and v2 run, bad-exit does not").hasSize(2);

            Cli.Result back = ok(d.cli("upgrade", "rollback"));
            assertThat(back.out()).contains("to blue (v1), it was warm");
            assertThat(servedBy(d)).isEqualTo("blue");
        }
    }

    @Test
    void theSwitchMessageSaysStaysWarmOnlyWhenThePreviousReleaseRuns() throws Exception {
        // failover none: the killed release must stay dead for the message to be about it
        try (DaemonFixture d = new DaemonFixture(tmp, 5, "").withDeploy("failover: none")) {
            d.start();
            ok(d.cli("upgrade", "perform", "--release", "v1"));
            long v1 = status(d).path("slots").path("blue").path("pid").asLong();
            kill(v1);
            Cli.Result v2 = ok(d.cli("upgrade", "perform", "--release", "v2"));
            assertThat(v2.out()).contains("Traffic switched to green").doesNotContain("stays warm")
                    .contains("v1 is not running (its process exited)");
            Cli.Result v3 = ok(d.cli(Map.of("AUTO_CLEANUP", "true"), "upgrade", "perform", "--release", "v2", "--skip-migrations"));
            assertThat(v3.out()).contains("Traffic switched to blue").doesNotContain("stays warm").contains("was drained and stopped");
        }
    }

    @Test
    void aRecycledPidIsNeverAdoptedSignalledOrKilled() throws Exception {
        Process stranger = null;
        try (DaemonFixture d = new DaemonFixture(tmp, 5, "")) {
            d.start();
            ok(d.cli("upgrade", "perform", "--release", "v1"));
            ok(d.cli("upgrade", "perform", "--release", "v2"));
            d.kill();
            Path stateFile = tmp.resolve(".switchback/state.json");
            ObjectNode state = (ObjectNode) JSON.readTree(stateFile.toFile());
            ObjectNode blue = (ObjectNode) state.path("slots").path("blue");
            kill(blue.path("pid").asLong());
            // another program now holds the pid the record names, healthy on the same port
            ProcessBuilder pb = new ProcessBuilder("java", "-XX:TieredStopAtLevel=1", "-cp", d.jar.toString(),
                    Cli.ROOT.resolve("examples/shop/Shop.java").toString()).redirectErrorStream(true)
                    .redirectOutput(tmp.resolve("stranger.log").toFile());
            pb.environment().put("PORT", blue.path("port").asText());
            pb.environment().put("DATABASE_URL", "jdbc:sqlite:" + tmp.resolve("stranger.db"));
            stranger = pb.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < deadline && !healthy(d, blue.path("port").asInt())) {
                Thread.sleep(200);
            }
            assertThat(healthy(d, blue.path("port").asInt())).as("the stranger answers on v1's port").isTrue();
            blue.put("pid", stranger.pid());
            JSON.writeValue(stateFile.toFile(), state);

            d.start();
            assertThat(d.log()).doesNotContain("Adopted v1 in blue").contains("now belongs to another program");
            assertThat(servedBy(d)).isEqualTo("green");
            // a perform into blue stops whatever blue's record names: never the stranger
            ok(d.cli("upgrade", "perform", "--release", "v1", "--skip-migrations"));
            ok(d.cli("upgrade", "cleanup", "green"));
            assertThat(stranger.isAlive()).as("the program that got the pid still runs").isTrue();
            assertThat(servedBy(d)).isEqualTo("blue");
        } finally {
            if (stranger != null) {
                stranger.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void aReleaseAliveButNotAnsweringWhenTheDaemonRestartsIsKeptOnRecordAndNeverStartedTwice() throws Exception {
        try (DaemonFixture d = new DaemonFixture(tmp, 5, "")) {
            d.start();
            ok(d.cli("upgrade", "perform", "--release", "v1"));
            ok(d.cli("upgrade", "perform", "--release", "v2"));
            long v1 = status(d).path("slots").path("blue").path("pid").asLong();
            d.kill();
            signal("STOP", v1);
            try {
                d.start();
            } finally {
                signal("CONT", v1);
            }
            assertThat(d.log()).contains("v1 in blue (pid " + v1 + ") runs but does not answer its health check");
            assertThat(status(d).path("slots").path("blue").path("pid").asLong()).isEqualTo(v1);
            Cli.Result back = ok(d.cli("upgrade", "rollback"));
            assertThat(back.out()).contains("to blue (v1), it was warm");
            assertThat(d.shopProcesses()).as("v1 and v2, no second v1").hasSize(2);
            assertThat(servedBy(d)).isEqualTo("blue");
        }
    }

    /** SIGSTOP/SIGCONT to a release this test's daemon started. */
    private static void signal(String sig, long pid) throws Exception {
        assertThat(new ProcessBuilder("kill", "-" + sig, String.valueOf(pid)).start().waitFor()).isZero();
    }

    /** SIGKILL to a release this test's daemon started (by the pid its status gave). */
    private static void kill(long pid) throws Exception {
        ProcessHandle h = ProcessHandle.of(pid).orElseThrow();
        h.destroyForcibly();
        h.onExit().get(10, TimeUnit.SECONDS);
    }

    private static boolean healthy(DaemonFixture d, int port) {
        try {
            return d.get(port, "/health/ready").statusCode() == 200;
        } catch (Exception e) {
            return false;
        }
    }

    @Test
    void stoppingAReleaseThatForkedAndExitedStopsItsWholeProcessGroup() throws Exception {
        try (DaemonFixture d = new DaemonFixture(tmp, 5, "")) {
            d.start();
            ok(d.cli("upgrade", "perform", "--release", "v1"));
            Cli.Result forks = d.cli("upgrade", "perform", "--release", "forks", "--skip-migrations");
            assertThat(forks.exit()).as(forks.describe()).isEqualTo(4);
            assertThat(forks.err()).contains("exited before becoming healthy");
            assertThat(d.shopProcesses()).as("the child the release left behind was stopped with it").hasSize(1);
            assertThat(servedBy(d)).isEqualTo("blue");
        }
    }

    @Test
    void aStaleTemporaryTokenFileDoesNotStopServe() throws Exception {
        Files.createDirectories(tmp.resolve(".switchback"));
        Files.writeString(tmp.resolve(".switchback/.admin.token.tmp"), "");
        try (DaemonFixture d = new DaemonFixture(tmp, 5, "")) {
            d.start(false);
            String token = Files.readString(tmp.resolve(".switchback/admin.token")).strip();
            assertThat(token).hasSize(64);
            assertThat(d.post("/api/deployments/maintenance", "{\"on\": false}", token).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void releaseNamesAreOneSafePathSegment() throws Exception {
        try (DaemonFixture d = new DaemonFixture(tmp, 5, "")) {
            d.start();
            for (String name : new String[]{".", "..", ".hidden", "_x", "a/b", "x".repeat(65)}) {
                Cli.Result r = d.cli("upgrade", "perform", "--release", name, "--skip-migrations");
                assertThat(r.exit()).as(r.describe()).isEqualTo(2);
                assertThat(r.err()).contains("is not a release name");
            }
            assertThat(d.shopProcesses()).isEmpty();
            assertThat(status(d).path("history")).isEmpty();
        }
    }
}

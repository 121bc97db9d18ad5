package dev.switchback.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.parallel.Isolated;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import static dev.switchback.cli.Cli.ok;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Canary rollouts end to end: one real daemon, real shop releases whose names make them misbehave (examples/shop
 * README), steady load from real clients on 127.0.0.1. Steps are 3 s and the analysis needs 50 requests a side, so
 * each rollout decides in seconds; {@code maxP99} is 50 ms so that a release 100 ms slower is above it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Isolated
class CanaryIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private Path dir;
    private DaemonFixture d;

    @BeforeAll
    void startDaemon() throws Exception {
        dir = Files.createTempDirectory("canary-it-");
        d = new DaemonFixture(dir, 5, "");
        Path yml = dir.resolve("switchback.yml");
        Files.writeString(yml, Files.readString(yml).replace("  service:\n", String.join("\n",
                "  canary: {steps: [10, 50, 100], stepDuration: 3s, progressDeadline: 8s, sticky: cookie}",
                "  analysis: {minRequests: 50, maxP99: 50ms}",
                "  bluegreen: {watch: 40s}",
                "  service:", "")));
        d.start();
        ok(d.cli("upgrade", "perform", "--release", "v1"));
    }

    @AfterAll
    void stopDaemon() throws Exception {
        d.close();
    }

    private JsonNode status() throws Exception {
        return JSON.readTree(ok(d.cli("upgrade", "status", "--json")).out());
    }

    private Cli.Result canary(String release, String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("upgrade", "perform", "--release", release, "--skip-migrations",
                "--strategy", "canary"));
        args.addAll(List.of(more));
        return d.cli(args.toArray(String[]::new));
    }

    private JsonNode awaitRollout(Predicate<JsonNode> done, Duration max) throws Exception {
        long deadline = System.nanoTime() + max.toNanos();
        JsonNode r = null;
        while (System.nanoTime() < deadline) {
            r = JSON.readTree(d.get(d.adminPort, "/api/deployments/rollout").body()).path("rollout");
            if (done.test(r)) {
                return r;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the rollout did not get there within " + max + ": " + r);
    }

    @Test
    @Order(1)
    void anIdenticalCanaryUnderSteadyLoadIsPromotedWithoutOneFailedRequest() throws Exception {
        String stable = status().path("active").asText();
        LoadGenerator load = new LoadGenerator(d.routerPort, 6, Duration.ofMinutes(2));
        Thread.sleep(500);
        Cli.Result r = canary("v1-same");
        List<LoadGenerator.Sample> samples = load.stop();

        assertThat(r.exit()).as(r.describe()).isZero();
        assertThat(r.out()).contains("Canary: 10% of clients on v1-same").contains("promoted");
        assertThat(LoadGenerator.failures(samples)).as("failed requests").isEmpty();
        JsonNode s = status();
        assertThat(s.path("active").asText()).isNotEqualTo(stable);
        assertThat(s.path("slots").path(stable).path("state").asText()).as("the old release stays warm").isEqualTo("standby");
        JsonNode rollout = s.path("rollout");
        assertThat(rollout.path("state").asText()).isEqualTo("promoted");
        assertThat(rollout.path("weight").asInt()).isEqualTo(100);
        assertThat(rollout.path("verdicts").findValuesAsText("verdict")).contains("pass", "step");
        assertThat(samples.stream().filter(x -> x.slot() != null).map(LoadGenerator.Sample::slot).distinct()).hasSize(2);
    }

    @Test
    @Order(2)
    void aCanaryFailingFivePercentIsRolledBackAndStableIsUntouched() throws Exception {
        JsonNode before = status();
        String stable = before.path("active").asText();
        long stablePid = before.path("slots").path(stable).path("pid").asLong();
        LoadGenerator load = new LoadGenerator(d.routerPort, 6, Duration.ofMinutes(2));
        Cli.Result r = canary("v1-errors5");
        List<LoadGenerator.Sample> samples = load.stop();

        assertThat(r.exit()).as(r.describe()).isEqualTo(4);
        assertThat(r.err()).contains("rolled back").contains("canary error rate");
        JsonNode s = status();
        assertThat(s.path("active").asText()).isEqualTo(stable);
        assertThat(s.path("slots").path(stable).path("pid").asLong()).isEqualTo(stablePid);
        String canarySlot = s.path("rollout").path("slot").asText();
        assertThat(s.path("slots").path(canarySlot).path("state").asText()).isEqualTo("failed");
        assertThat(s.path("rollout").path("state").asText()).isEqualTo("rolled_back");
        assertThat(s.path("rollout").path("weight").asInt()).isZero();
        JsonNode fail = last(s.path("rollout"), "fail");
        assertThat(fail.path("cause").asText()).isEqualTo("error_rate");
        assertThat(fail.path("canary").path("errors").asLong()).isPositive();
        assertThat(samples.stream().filter(x -> stable.equals(x.slot())).filter(x -> x.status() != 200))
                .as("requests the stable release answered").isEmpty();
        System.out.printf("5%% canary: %d requests, %d failed (%s)%n", samples.size(), LoadGenerator.failures(samples).size(),
                fail.path("reason").asText());
    }

    @Test
    @Order(3)
    void aCanaryOneHundredMillisecondsSlowerIsRolledBack() throws Exception {
        LoadGenerator load = new LoadGenerator(d.routerPort, 6, Duration.ofMinutes(2));
        Cli.Result r = canary("v1-slower100ms");
        load.stop();

        assertThat(r.exit()).as(r.describe()).isEqualTo(4);
        JsonNode fail = last(status().path("rollout"), "fail");
        assertThat(fail.path("cause").asText()).isEqualTo("latency");
        assertThat(fail.path("canary").path("p99Ms").asDouble()).isGreaterThan(50);
    }

    @Test
    @Order(4)
    void aCanaryAtFiftyPercentErrorsIsAbortedOnTheFastPath() throws Exception {
        LoadGenerator load = new LoadGenerator(d.routerPort, 6, Duration.ofMinutes(2));
        Cli.Result r = canary("v1-errors50", "--detach");
        long live = System.nanoTime();
        assertThat(r.exit()).as(r.describe()).isZero();
        JsonNode rollout = awaitRollout(x -> !RolloutView.live(x), Duration.ofSeconds(60));
        double seconds = (System.nanoTime() - live) / 1e9;
        load.stop();

        assertThat(rollout.path("state").asText()).isEqualTo("rolled_back");
        assertThat(last(rollout, "fail").path("cause").asText()).isEqualTo("abort_error_rate");
        // the fast path needs 20 canary requests; the bench measures the time, this only bounds it loosely
        assertThat(seconds).as("seconds from the first step to the rollback").isLessThan(20);
        System.out.printf("50%% canary: rolled back %.1f s after the first step went live%n", seconds);
    }

    @Test
    @Order(5)
    void tooLittleTrafficPausesWithTheReasonThenPromoteFinishesIt() throws Exception {
        String stable = status().path("active").asText();
        Cli.Result r = canary("v1-quiet", "--detach");
        assertThat(r.exit()).as(r.describe()).isZero();
        JsonNode paused = awaitRollout(x -> x.path("state").asText().equals("paused"), Duration.ofSeconds(60));
        assertThat(paused.path("reason").asText()).contains("no verdict for 8s").contains("deploy.analysis.minRequests");
        assertThat(ok(d.cli("upgrade", "status")).out()).contains("paused").contains("no verdict for 8s");

        ok(d.cli("upgrade", "promote", "--full"));
        JsonNode s = status();
        assertThat(s.path("rollout").path("state").asText()).isEqualTo("promoted");
        assertThat(s.path("active").asText()).isNotEqualTo(stable);
        assertThat(s.path("slots").path(s.path("active").asText()).path("release").asText()).isEqualTo("v1-quiet");
    }

    @Test
    @Order(6)
    void aCookieClientNeverChangesSideAndAbortSendsEveryoneBackToStable() throws Exception {
        String stable = status().path("active").asText();
        assertThat(canary("v1-sticky", "--detach", "--step-duration", "5m").exit()).isZero();
        ok(d.cli("upgrade", "promote")); // 10% -> 50%
        assertThat(status().path("rollout").path("weight").asInt()).isEqualTo(50);

        HttpClient http = HttpClient.newHttpClient();
        Map<Integer, Set<String>> sides = new HashMap<>();
        Map<Integer, String> cookies = new HashMap<>();
        for (int round = 0; round < 10; round++) {
            for (int client = 0; client < 20; client++) {
                HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + d.routerPort + "/"));
                if (cookies.containsKey(client)) {
                    b.header("Cookie", cookies.get(client));
                }
                HttpResponse<String> resp = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
                assertThat(resp.statusCode()).isEqualTo(200);
                String cookie = resp.headers().firstValue("Set-Cookie").map(c -> c.split(";")[0]).orElse(null);
                if (cookie != null) {
                    cookies.put(client, cookie);
                }
                sides.computeIfAbsent(client, k -> new HashSet<>()).add(resp.headers().firstValue("X-Slot").orElse("?"));
            }
        }
        assertThat(sides.values()).as("the slots each cookie client was served by").allSatisfy(s -> assertThat(s).hasSize(1));
        assertThat(sides.values().stream().flatMap(Set::stream).distinct()).as("both sides got clients").hasSize(2);

        Cli.Result aborted = ok(d.cli("upgrade", "abort"));
        assertThat(aborted.out()).contains("aborted");
        for (int client = 0; client < 20; client++) {
            HttpResponse<String> resp = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + d.routerPort + "/"))
                    .header("Cookie", cookies.get(client)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(resp.headers().firstValue("X-Slot")).as("after abort, whatever the cookie says").contains(stable);
        }
        JsonNode s = status();
        assertThat(s.path("rollout").path("state").asText()).isEqualTo("aborted");
        assertThat(s.path("slots").path(s.path("rollout").path("slot").asText()).path("pid").isNull()).isTrue();
    }

    @Test
    @Order(7)
    void aDaemonKilledMidCanaryRoutesByTheRecordedWeightAtOnceAndResumes() throws Exception {
        assertThat(canary("v1-resumed", "--detach", "--step-duration", "5m").exit()).isZero();
        JsonNode before = status();
        String canarySlot = before.path("rollout").path("slot").asText();
        Set<Long> pids = new HashSet<>(d.shopProcesses().stream().map(ProcessHandle::pid).toList());

        d.kill();
        d.start();
        HttpClient http = HttpClient.newHttpClient();
        int onCanary = 0;
        for (int i = 0; i < 100; i++) {
            HttpResponse<String> resp = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + d.routerPort + "/")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(resp.statusCode()).isEqualTo(200);
            onCanary += canarySlot.equals(resp.headers().firstValue("X-Slot").orElse("")) ? 1 : 0;
        }
        assertThat(onCanary).as("requests on the canary among 100 right after the restart (10%)").isBetween(1, 40);
        JsonNode after = status();
        assertThat(after.path("rollout").path("state").asText()).as("running, or paused for lack of traffic").isIn("running", "paused");
        assertThat(after.path("rollout").path("weight").asInt()).isEqualTo(10);
        assertThat(new HashSet<>(d.shopProcesses().stream().map(ProcessHandle::pid).toList())).as("no duplicate processes").isEqualTo(pids);
        assertThat(d.log()).contains("Resuming the canary rollout of v1-resumed");

        ok(d.cli("upgrade", "promote", "--full"));
        assertThat(status().path("rollout").path("state").asText()).isEqualTo("promoted");
    }

    @Test
    @Order(8)
    void theBlueGreenWatchSwitchesBackFromAReleaseThatTurnsBadAfterTheSwitch() throws Exception {
        String previous = status().path("active").asText();
        LoadGenerator load = new LoadGenerator(d.routerPort, 6, Duration.ofMinutes(2));
        Thread.sleep(3000); // the previous release's figures before the switch
        Cli.Result r = d.cli("upgrade", "perform", "--release", "v1-bad-after8s", "--skip-migrations", "--wait");
        load.stop();

        assertThat(r.exit()).as(r.describe()).isEqualTo(4);
        assertThat(r.out()).contains("Watching v1-bad-after8s");
        JsonNode s = status();
        assertThat(s.path("active").asText()).isEqualTo(previous);
        assertThat(s.path("rollout").path("strategy").asText()).isEqualTo("bluegreen");
        assertThat(s.path("rollout").path("state").asText()).isEqualTo("rolled_back");
        // the watch compares with the previous release's figures from before the switch, so on a loaded machine its
        // latency can fail too (maxP99 is 50 ms here); what must hold is that the release's errors were seen
        JsonNode fail = last(s.path("rollout"), "fail");
        assertThat(fail.path("canary").path("errors").asLong()).as(fail.toString()).isPositive();
    }

    private static JsonNode last(JsonNode rollout, String verdict) {
        JsonNode found = null;
        for (JsonNode v : rollout.path("verdicts")) {
            if (v.path("verdict").asText().equals(verdict)) {
                found = v;
            }
        }
        assertThat(found).as("a %s verdict in %s", verdict, rollout).isNotNull();
        return found;
    }
}

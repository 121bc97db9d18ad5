package dev.switchback.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.switchback.cli.Cli.ok;
import static dev.switchback.cli.DaemonFixture.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * deploy.service.replicas: 3 with a real daemon and the shop on 127.0.0.1. One daemon for the whole story: balancing,
 * a replica and the slot's own process killed with SIGKILL under load, adoption after a daemon SIGKILL.
 */
@Isolated
class ReplicasIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern PID = Pattern.compile("\"pid\"\\s*:\\s*(\\d+)");
    private static final int CLIENTS = 20;
    /** A request that keeps the instance 10 ms, the same on each: equal work for equal instances. */
    private static final String SLOW = "/slow?ms=10";

    @TempDir
    Path tmp;

    @Test
    void threeInstancesShareTheLoadAnInstanceKilledLeavesThePoolAtOnceAndIsRestartedAndAllAreAdopted() throws Exception {
        try (DaemonFixture d = new DaemonFixture(tmp, 5, "")) {
            Path yml = d.dir.resolve("switchback.yml");
            Files.writeString(yml, Files.readString(yml).replace("  service:\n", "  service:\n    replicas: 3\n")
                    .replace("healthCheck: {", "healthCheck: {liveInterval: 500ms, "));
            d.start();
            ok(d.cli("upgrade", "perform", "--release", "v1"));
            List<JsonNode> web = web(status(d), "blue");
            assertThat(web).extracting(p -> p.path("instance").asInt()).containsExactly(0, 1, 2);
            assertThat(web).allSatisfy(p -> assertThat(p.path("health").asText()).isEqualTo("healthy"));
            List<Long> pids = web.stream().map(p -> p.path("pid").asLong()).toList();
            assertThat(ok(d.cli("upgrade", "status")).out()).containsPattern("blue +web +2 +" + pids.get(2) + " +\\d+ +running +healthy +0");

            // steady load of equal work spreads within 10 % of even: requests that each keep an instance 10 ms (a first
            // round warms the three up). Requests that cost an instance next to nothing (GET /) are timed by the CPU
            // scheduler instead, and on a busy machine least outstanding rightly follows it: 1,200 of them split from
            // 702/367/131 to 406/378/416 in one daemon's consecutive runs, whichever way the router took ties
            spread(d, 6, 150, SLOW);
            Map<String, AtomicInteger> served = spread(d, 6, 200, SLOW);
            int total = served.values().stream().mapToInt(AtomicInteger::get).sum();
            assertThat(total).isEqualTo(1200);
            System.out.println("ReplicasIT spread of 1,200 requests over 3 instances: " + served);
            for (Long pid : pids) {
                assertThat(served.get(String.valueOf(pid))).as("instance %s of %s", pid, served).isNotNull();
                assertThat(served.get(String.valueOf(pid)).get()).as("requests to pid %s: %s", pid, served)
                        .isBetween(360, 440);
            }

            // kill -9 of a replica under 20 clients: at most the requests in flight on it fail; it is restarted
            assertKilledUnderLoad(d, pids.get(1), "blue", 1);
            // ... and of the slot's own process (instance 0): no failover, restarted in place while the others serve
            assertKilledUnderLoad(d, pids.get(0), "blue", 0);
            assertThat(status(d).path("active").asText()).isEqualTo("blue");

            // a daemon SIGKILLed and started again adopts every instance: same pids, nothing started twice
            List<Long> before = web(status(d), "blue").stream().map(p -> p.path("pid").asLong()).toList();
            int shops = d.shopProcesses().size();
            d.kill();
            d.start();
            waitFor(() -> web(status(d), "blue").size() == 3, 30, "status after the restart");
            assertThat(web(status(d), "blue").stream().map(p -> p.path("pid").asLong()).toList()).isEqualTo(before);
            assertThat(d.shopProcesses()).hasSize(shops);
            waitFor(() -> spread(d, 3, 30).keySet().containsAll(before.stream().map(String::valueOf).toList()), 30,
                    "the adopted instances all serve");
        }
    }

    private static void assertKilledUnderLoad(DaemonFixture d, long pid, String slot, int instance) throws Exception {
        LoadGenerator load = new LoadGenerator(d.routerPort, CLIENTS, Duration.ofSeconds(60));
        Thread.sleep(500);
        long killedAt = System.nanoTime();
        ProcessHandle.of(pid).orElseThrow().destroyForcibly();
        waitFor(() -> {
            JsonNode p = web(status(d), slot).stream().filter(w -> w.path("instance").asInt() == instance).findFirst().orElse(null);
            return p != null && p.path("pid").asLong() != pid && p.path("health").asText().equals("healthy");
        }, 60, "instance " + instance + " restarted and healthy");
        Thread.sleep(500);
        List<LoadGenerator.Sample> samples = load.stop();
        List<LoadGenerator.Sample> failed = LoadGenerator.failures(samples);
        assertThat(samples.size()).isGreaterThan(100);
        assertThat(failed.size()).as("failed requests after killing instance %s: %s", instance, failed).isLessThanOrEqualTo(CLIENTS);
        // every failure was in flight when it died: none started later than a moment after the kill
        assertThat(failed).allSatisfy(f -> assertThat(f.start() - killedAt).isLessThan(TimeUnit.MILLISECONDS.toNanos(300)));
    }

    /** {@code clients} threads sending {@code each} requests for / through the router: which pid answered how often. */
    private static Map<String, AtomicInteger> spread(DaemonFixture d, int clients, int each) throws Exception {
        return spread(d, clients, each, "/");
    }

    /** As {@link #spread(DaemonFixture, int, int)} for {@code path}, whose answer names the pid. */
    private static Map<String, AtomicInteger> spread(DaemonFixture d, int clients, int each, String path) throws Exception {
        Map<String, AtomicInteger> served = new ConcurrentHashMap<>();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            Thread t = new Thread(() -> {
                HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
                for (int i = 0; i < each; i++) {
                    String who = "failed";
                    try {
                        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + d.routerPort + path))
                                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
                        Matcher m = PID.matcher(r.body());
                        who = r.statusCode() == 200 && m.find() ? m.group(1) : "status " + r.statusCode();
                    } catch (Exception e) {
                        who = "failed: " + e;
                    }
                    served.computeIfAbsent(who, k -> new AtomicInteger()).incrementAndGet();
                }
            });
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            t.join(120_000);
        }
        return served;
    }

    private static JsonNode status(DaemonFixture d) throws Exception {
        return JSON.readTree(ok(d.cli("upgrade", "status", "--json")).out());
    }

    private static List<JsonNode> web(JsonNode status, String slot) {
        return DaemonFixture.running(status, slot, "web");
    }
}

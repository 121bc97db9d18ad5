package dev.switchback.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Issue 15's canary benchmark, run by {@code scripts/bench-canary}: a real daemon ({@code switchback serve} from the
 * CLI jar) with examples/shop on SQLite, paced load through its router, canary rollouts through the admin API.
 * <ol>
 *   <li>a canary failing 5% of its requests at a 10% step, 60 s of load: seconds from the canary's first answer to its
 *   last (all traffic back on stable), and failed requests as a share of all;</li>
 *   <li>the same for a canary 100 ms slower;</li>
 *   <li>{@code --aa N} rollouts of an identical release with short steps: how many were rolled back.</li>
 * </ol>
 * Usage: {@code CanaryBench --jar switchback.jar --shop examples/shop [--rate 200] [--seconds 60] [--aa 20]
 * [--aa-step 2s] [--max-p99 500ms]}.
 */
public final class CanaryBench {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final String token = "bench-" + System.nanoTime();
    private int routerPort;
    private int adminPort;
    private Process daemon;
    private Path dir;

    /** One request of the load: when (ms since the scenario began), the status (-1: I/O failure), the slot that answered. */
    private record Sample(long atMs, int status, String slot) {
    }

    public static void main(String[] args) throws Exception {
        Path jar = null;
        Path shop = null;
        int rate = 200;
        int seconds = 60;
        int aa = 20;
        String aaStep = "2s";
        String maxP99 = "500ms";
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--jar" -> jar = Path.of(args[i + 1]).toAbsolutePath();
                case "--shop" -> shop = Path.of(args[i + 1]).toAbsolutePath();
                case "--rate" -> rate = Integer.parseInt(args[i + 1]);
                case "--seconds" -> seconds = Integer.parseInt(args[i + 1]);
                case "--aa" -> aa = Integer.parseInt(args[i + 1]);
                case "--aa-step" -> aaStep = args[i + 1];
                case "--max-p99" -> maxP99 = args[i + 1];
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (jar == null || shop == null) {
            throw new IllegalArgumentException("usage: CanaryBench --jar switchback.jar --shop examples/shop [--rate R] [--seconds S] "
                    + "[--aa N] [--aa-step D] [--max-p99 D]");
        }
        CanaryBench b = new CanaryBench();
        try {
            b.start(jar, shop, maxP99);
            System.out.printf("CanaryBench: %d CPUs, load %d req/s for %d s per scenario, steps [10, 50, 100] x 60 s, "
                    + "deploy.analysis defaults but maxP99 %s%n", Runtime.getRuntime().availableProcessors(), rate, seconds, maxP99);
            b.bad("(1) canary failing 5%", "v1-errors5", rate, seconds);
            b.bad("(2) canary 100 ms slower", "v1-slower100ms", rate, seconds);
            b.aa(aa, aaStep, rate);
        } finally {
            b.stop();
        }
    }

    private void start(Path jar, Path shop, String maxP99) throws Exception {
        dir = Files.createTempDirectory("bench-canary-");
        routerPort = freePort();
        adminPort = freePort();
        Files.writeString(dir.resolve("switchback.yml"), String.join("\n",
                "database:", "  url: jdbc:sqlite:.switchback/shop.db",
                "migrations:", "  locations:", "    - " + shop + "/releases/${RELEASE}/migrations",
                "deploy:",
                "  router: {listen: 127.0.0.1:" + routerPort + "}",
                "  admin: {listen: 127.0.0.1:" + adminPort + "}",
                "  canary: {steps: [10, 50, 100], stepDuration: 60s}",
                "  analysis: {maxP99: " + maxP99 + "}",
                "  bluegreen: {watch: 0}",
                "  service:",
                "    command: [java, -XX:TieredStopAtLevel=1, -cp, " + jar + ", " + shop + "/Shop.java]",
                "    env:", "      DATABASE_URL: jdbc:sqlite:" + dir.resolve(".switchback/shop.db"),
                "    healthCheck: {interval: 1s, timeout: 60s, healthyThreshold: 2}",
                "    stopTimeout: 10s", "    drainTimeout: 10s", ""));
        ProcessBuilder pb = new ProcessBuilder("java", "-jar", jar.toString(), "-c", dir.resolve("switchback.yml").toString(), "serve")
                .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(dir.resolve("serve.log").toFile());
        pb.environment().put("SWITCHBACK_ADMIN_TOKEN", token);
        daemon = pb.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try {
                if (http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/health")).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode() == 200) {
                    break;
                }
            } catch (IOException e) {
                if (System.nanoTime() > deadline || !daemon.isAlive()) {
                    throw new IllegalStateException("the daemon did not start: " + Files.readString(dir.resolve("serve.log")));
                }
                Thread.sleep(100);
            }
        }
        JsonNode v1 = post("/api/deployments/perform", Map.of("release", "v1"));
        if (!v1.path("switched").asBoolean()) {
            throw new IllegalStateException("perform v1 failed: " + v1);
        }
    }

    private void bad(String title, String release, int rate, int seconds) throws Exception {
        Load load = new Load(rate);
        Thread.sleep(5000);
        long t0 = System.nanoTime();
        JsonNode performed = post("/api/deployments/perform", Map.of("release", release, "skipMigrations", true, "strategy", "canary"));
        long live = (System.nanoTime() - load.start) / 1_000_000;
        String canarySlot = performed.path("rollout").path("slot").asText();
        JsonNode end = awaitEnd(Duration.ofSeconds(seconds - 5));
        double took = (System.nanoTime() - t0) / 1e9;
        long left = seconds * 1000L - (System.nanoTime() - load.start) / 1_000_000;
        if (left > 0) {
            Thread.sleep(left);
        }
        List<Sample> samples = load.stop();
        long first = samples.stream().filter(s -> canarySlot.equals(s.slot())).mapToLong(Sample::atMs).min().orElse(-1);
        long last = samples.stream().filter(s -> canarySlot.equals(s.slot())).mapToLong(Sample::atMs).max().orElse(-1);
        long failed = samples.stream().filter(s -> s.status() < 200 || s.status() >= 400).count();
        long onCanary = samples.stream().filter(s -> canarySlot.equals(s.slot())).count();
        JsonNode fail = null;
        for (JsonNode v : end.path("verdicts")) {
            if (v.path("verdict").asText().equals("fail")) {
                fail = v;
            }
        }
        System.out.printf("%n%s (%s), %d requests in %d s (%.0f req/s):%n", title, release, samples.size(), seconds,
                samples.size() / (double) seconds);
        System.out.printf("  rollout %s, %.1f s after perform began (first step live at %.1f s of the load)%n",
                end.path("state").asText(), took, live / 1000.0);
        System.out.printf("  canary answered %d requests, from %.1f s to %.1f s: %.1f s from taking traffic to all back on stable%n",
                onCanary, first / 1000.0, last / 1000.0, (last - first) / 1000.0);
        System.out.printf("  failed requests: %d of %d = %.3f%% of all%n", failed, samples.size(), 100.0 * failed / samples.size());
        if (fail != null) {
            System.out.printf("  verdict: %s (%s)%n", fail.path("cause").asText(), fail.path("reason").asText());
        }
    }

    private void aa(int rollouts, String step, int rate) throws Exception {
        if (rollouts == 0) {
            return;
        }
        Load load = new Load(rate);
        int rolledBack = 0;
        List<Double> seconds = new ArrayList<>();
        for (int i = 0; i < rollouts; i++) {
            long t0 = System.nanoTime();
            post("/api/deployments/perform", Map.of("release", "v1-aa" + i, "skipMigrations", true, "strategy", "canary",
                    "stepDurationMs", Duration.parse("PT" + step.toUpperCase()).toMillis()));
            JsonNode end = awaitEnd(Duration.ofMinutes(5));
            seconds.add((System.nanoTime() - t0) / 1e9);
            if (!end.path("state").asText().equals("promoted")) {
                rolledBack++;
                System.out.printf("  A/A rollout %d: %s: %s%n", i, end.path("state").asText(), end.path("reason").asText());
            }
        }
        List<Sample> samples = load.stop();
        long failed = samples.stream().filter(s -> s.status() < 200 || s.status() >= 400).count();
        Collections.sort(seconds);
        System.out.printf("%n(3) A/A: %d canary rollouts of an identical release (steps 10, 50, 100 x %s): %d promoted, %d not "
                + "(target 0); each took %.1f s median (%.1f-%.1f, perform included); %d requests, %d failed%n", rollouts, step,
                rollouts - rolledBack, rolledBack, seconds.get(seconds.size() / 2), seconds.get(0), seconds.get(seconds.size() - 1),
                samples.size(), failed);
    }

    private JsonNode awaitEnd(Duration max) throws Exception {
        long deadline = System.nanoTime() + max.toNanos();
        while (true) {
            JsonNode r = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort
                    + "/api/deployments/rollout")).build(), HttpResponse.BodyHandlers.ofString()).body()).path("rollout");
            String s = r.path("state").asText();
            if (!s.equals("running") && !s.equals("paused") && !s.equals("watching")) {
                return r;
            }
            if (System.nanoTime() > deadline) {
                post("/api/deployments/abort", Map.of());
                return r;
            }
            Thread.sleep(100);
        }
    }

    private JsonNode post(String path, Map<String, Object> body) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + path))
                .header("Authorization", "Bearer " + token).timeout(Duration.ofMinutes(3))
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException(path + " answered " + r.statusCode() + ": " + r.body());
        }
        return JSON.readTree(r.body());
    }

    private void stop() throws Exception {
        if (daemon == null) {
            return;
        }
        try {
            post("/api/deployments/stop", Map.of());
        } catch (Exception ignored) {
            // no stop action: the releases are stopped below by their pids
        }
        JsonNode state = JSON.readTree(dir.resolve(".switchback/state.json").toFile());
        daemon.destroy();
        daemon.waitFor(10, TimeUnit.SECONDS);
        for (JsonNode slot : state.path("slots")) {
            if (slot.hasNonNull("pid")) {
                ProcessHandle.of(slot.get("pid").asLong()).ifPresent(p -> {
                    p.descendants().forEach(ProcessHandle::destroy);
                    p.destroy();
                });
            }
        }
    }

    /** Paced load: {@code rate} requests a second from 10 keep-alive clients without cookies, each recorded. */
    private final class Load {
        final long start = System.nanoTime();
        final List<Sample> samples = Collections.synchronizedList(new ArrayList<>());
        final AtomicBoolean running = new AtomicBoolean(true);
        final List<Thread> threads = new ArrayList<>();

        Load(int rate) {
            int clients = 10;
            long periodNanos = TimeUnit.SECONDS.toNanos(1) * clients / rate;
            for (int c = 0; c < clients; c++) {
                long offset = periodNanos * c / clients;
                Thread t = new Thread(() -> {
                    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
                    long next = start + offset;
                    while (running.get()) {
                        long wait = next - System.nanoTime();
                        if (wait > 0) {
                            try {
                                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                            } catch (InterruptedException e) {
                                return;
                            }
                        }
                        next += periodNanos;
                        long at = (System.nanoTime() - start) / 1_000_000;
                        try {
                            HttpResponse<Void> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + routerPort + "/"))
                                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.discarding());
                            samples.add(new Sample(at, r.statusCode(), r.headers().firstValue("X-Slot").orElse(null)));
                        } catch (IOException e) {
                            samples.add(new Sample(at, -1, null));
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                }, "load-" + c);
                t.start();
                threads.add(t);
            }
        }

        List<Sample> stop() throws InterruptedException {
            running.set(false);
            for (Thread t : threads) {
                t.join(15_000);
            }
            synchronized (samples) {
                return new ArrayList<>(samples);
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}

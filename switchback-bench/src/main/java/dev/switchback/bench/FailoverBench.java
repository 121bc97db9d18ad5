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
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Issue 15's benchmark item (4): failover time. A real {@code switchback serve} with examples/shop on SQLite, v1 and v2
 * both running (one active, the other warm); a paced load through the router; then, {@code --kills} times, SIGKILL
 * to the active release: milliseconds from the kill to the first 200 from the standby, and the requests that failed
 * meanwhile. Before each kill it waits until the release killed last time is restarted and warm again. Everything on
 * 127.0.0.1, bounded in time; it stops the daemon and the releases it started. {@code scripts/bench-failover} runs it:
 * {@code java -cp switchback-bench.jar dev.switchback.bench.FailoverBench --jar switchback.jar --shop examples/shop
 * --dir TMP [--kills 10] [--rate 200]}.
 */
public final class FailoverBench {
    private static final ObjectMapper JSON = new ObjectMapper();

    private record Sample(long start, long end, int status, String slot) {
    }

    private FailoverBench() {
    }

    public static void main(String[] args) throws Exception {
        Path jar = null;
        Path shop = null;
        Path dir = null;
        int kills = 10;
        int rate = 200;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--jar" -> jar = Path.of(args[i + 1]).toAbsolutePath();
                case "--shop" -> shop = Path.of(args[i + 1]).toAbsolutePath();
                case "--dir" -> dir = Path.of(args[i + 1]).toAbsolutePath();
                case "--kills" -> kills = Integer.parseInt(args[i + 1]);
                case "--rate" -> rate = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (jar == null || shop == null || dir == null) {
            throw new IllegalArgumentException("usage: FailoverBench --jar switchback.jar --shop examples/shop --dir TMP [--kills 10] [--rate 200]");
        }
        new FailoverBench().run(jar, shop, dir, kills, rate);
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final List<Sample> samples = Collections.synchronizedList(new ArrayList<>());
    private int routerPort;
    private int adminPort;
    private String token;
    private Process daemon;
    private Path dir;

    private void run(Path jar, Path shop, Path dir, int kills, int rate) throws Exception {
        this.dir = dir;
        Files.createDirectories(dir);
        routerPort = freePort();
        adminPort = freePort();
        token = "bench-" + System.nanoTime();
        Files.writeString(dir.resolve("switchback.yml"), String.join("\n",
                "database:", "  url: jdbc:sqlite:.switchback/shop.db",
                "migrations:", "  locations:", "    - " + shop + "/releases/${RELEASE}/migrations",
                "deploy:",
                "  router: {listen: 127.0.0.1:" + routerPort + "}",
                "  admin: {listen: 127.0.0.1:" + adminPort + "}",
                "  failover: standby",
                "  service:",
                "    command: [java, -XX:TieredStopAtLevel=1, -cp, " + jar + ", " + shop + "/Shop.java]",
                "    env:", "      DATABASE_URL: jdbc:sqlite:" + dir.resolve(".switchback/shop.db"),
                "    healthCheck: {interval: 1s, timeout: 90s, healthyThreshold: 2}",
                "    stopTimeout: 10s", ""));
        ProcessBuilder pb = new ProcessBuilder("java", "-jar", jar.toString(), "-c", dir.resolve("switchback.yml").toString(), "serve")
                .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(dir.resolve("serve.log").toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("SWITCHBACK_"));
        pb.environment().put("SWITCHBACK_ADMIN_TOKEN", token);
        daemon = pb.start();
        ScheduledExecutorService load = Executors.newSingleThreadScheduledExecutor();
        try {
            await(() -> get(adminPort, "/health") == 200, 60, "the daemon's /health");
            post("/api/deployments/perform", "{\"release\":\"v1\"}");
            post("/api/deployments/perform", "{\"release\":\"v2\"}");
            long period = 1_000_000_000L / rate;
            load.scheduleAtFixedRate(this::send, 0, period, TimeUnit.NANOSECONDS);
            Thread.sleep(3000);
            List<Long> times = new ArrayList<>();
            long failedTotal = 0;
            for (int k = 1; k <= kills; k++) {
                await(() -> bothWarm(), 180, "both slots warm before kill " + k);
                Thread.sleep(1000);
                JsonNode st = status();
                String active = st.path("active").asText();
                String standby = st.path("standby").asText();
                long pid = st.path("slots").path(active).path("pid").asLong();
                ProcessHandle h = ProcessHandle.of(pid).orElseThrow();
                long killed = System.nanoTime();
                h.destroyForcibly();
                await(() -> firstFrom(standby, killed) > 0, 30, "a 200 from " + standby + " after kill " + k);
                long ms = (firstFrom(standby, killed) - killed) / 1_000_000;
                Thread.sleep(2000);
                long failed = failedBetween(killed - 100_000_000L, killed + 2_000_000_000L);
                failedTotal += failed;
                times.add(ms);
                System.out.printf("kill %2d: %s (pid %d) killed; first 200 from %s after %d ms; %d request(s) failed%n", k, active, pid,
                        standby, ms, failed);
            }
            load.shutdownNow();
            Thread.sleep(500);
            List<Long> sorted = times.stream().sorted().toList();
            long all;
            synchronized (samples) {
                all = samples.size();
            }
            System.out.printf("%nFailover time over %d kills (SIGKILL of the active release, warm standby; paced load %d req/s; %d CPUs; "
                            + "load average %s):%n  median %.0f ms, min %d ms, max %d ms (target <= 1000 ms)%n"
                            + "  failed requests around the kills: %d of %d sent in the run%n", kills, rate,
                    Runtime.getRuntime().availableProcessors(), String.join(" ", List.of(Files.readString(Path.of("/proc/loadavg")).split(" ")).subList(0, 3)),
                    median(sorted), sorted.get(0), sorted.get(sorted.size() - 1), failedTotal, all);
        } finally {
            load.shutdownNow();
            stopAll();
        }
    }

    private boolean bothWarm() throws Exception {
        JsonNode st = status();
        String a = st.path("active").asText();
        String s = st.path("standby").asText();
        return st.path("slots").path(a).path("healthy").asBoolean() && st.path("slots").path(s).path("state").asText().equals("standby")
                && st.path("slots").path(s).path("healthy").asBoolean();
    }

    private void send() {
        long start = System.nanoTime();
        http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + routerPort + "/")).timeout(Duration.ofSeconds(10)).build(),
                        HttpResponse.BodyHandlers.discarding())
                .whenComplete((r, e) -> samples.add(new Sample(start, System.nanoTime(), e != null ? -1 : r.statusCode(),
                        e != null ? null : r.headers().firstValue("X-Slot").orElse(null))));
    }

    /** The end of the first 200 from {@code slot} that started after {@code after}, or 0. */
    private long firstFrom(String slot, long after) {
        synchronized (samples) {
            return samples.stream().filter(s -> s.start() >= after && s.status() == 200 && slot.equals(s.slot()))
                    .mapToLong(Sample::end).min().orElse(0);
        }
    }

    private long failedBetween(long from, long to) {
        synchronized (samples) {
            return samples.stream().filter(s -> s.start() >= from && s.start() <= to && s.status() != 200).count();
        }
    }

    private static double median(List<Long> sorted) {
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2.0;
    }

    private JsonNode status() throws Exception {
        return JSON.readTree(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/api/deployments/status"))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString()).body());
    }

    private int get(int port, String path) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException | InterruptedException e) {
            return -1;
        }
    }

    private void post(String path, String body) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + path))
                .header("Authorization", "Bearer " + token).timeout(Duration.ofMinutes(5))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException(path + " " + body + " answered " + r.statusCode() + ": " + r.body());
        }
    }

    interface Check {
        boolean ok() throws Exception;
    }

    private static void await(Check c, int seconds, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            if (c.ok()) {
                return;
            }
            Thread.sleep(10);
        }
        throw new IllegalStateException("not within " + seconds + " s: " + what);
    }

    /** The daemon first (so nothing restarts what follows), then every release process group state.json names. */
    private void stopAll() throws Exception {
        if (daemon != null) {
            daemon.destroy();
            daemon.waitFor(15, TimeUnit.SECONDS);
            daemon.destroyForcibly();
        }
        Path state = dir.resolve(".switchback/state.json");
        if (!Files.exists(state)) {
            return;
        }
        for (JsonNode slot : JSON.readTree(state.toFile()).path("slots")) {
            if (slot.hasNonNull("pid")) {
                long pid = slot.get("pid").asLong();
                new ProcessBuilder("kill", "-TERM", "--", "-" + pid).start().waitFor();
                ProcessHandle.of(pid).ifPresent(h -> {
                    h.destroy();
                    h.onExit().orTimeout(15, TimeUnit.SECONDS).exceptionally(e -> {
                        h.destroyForcibly();
                        return h;
                    }).join();
                });
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}

package dev.switchback.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real `switchback serve` process on free 127.0.0.1 ports, deploying the examples/shop service with SQLite.
 * Releases named bad-exit, bad-health and bad-500 start the shop with the matching SHOP_FAIL behaviour.
 */
final class DaemonFixture implements AutoCloseable {
    private static final Path BUILT_JAR = Cli.ROOT.resolve("switchback-cli/target/switchback.jar");
    /**
     * Shop.java compiled once per test run: the source launcher compiles it again at every release start, which
     * costs about a second of CPU each time on a machine the whole suite shares.
     */
    private static final Path SHOP_CLASSES = Cli.ROOT.resolve("switchback-cli/target/shop-classes");
    private static boolean shopCompiled;
    /**
     * The daemons' copy of the CLI jar, one per build of it in this test run, with the launcher's serve archive beside it
     * (recorded at the first start): a copy and a start without the archive per daemon cost about a second and a half
     * of CPU each, over some thirty daemons.
     */
    private static Path sharedJar;
    private static FileTime sharedJarBuilt;
    private static boolean sharedJarArchived;
    private static final Object FIRST_START = new Object();
    final Path dir;
    /**
     * This test run's copy, not the built jar: a rebuild of the CLI jar while the daemon runs must not pull
     * classes from under it.
     */
    final Path jar;
    final int routerPort;
    final int adminPort;
    final String token = "test-token-" + System.nanoTime();
    private Process daemon;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    DaemonFixture(Path dir, int rollbackLimit, String extraEnv) throws IOException {
        this(dir, rollbackLimit, extraEnv, "");
    }

    DaemonFixture(Path dir, int rollbackLimit, String extraEnv, String extraYaml) throws IOException {
        this(dir, rollbackLimit, extraEnv, extraYaml, Cli.ROOT.resolve("examples/shop/releases"));
    }

    /**
     * @param extraYaml top-level sections appended to the configuration (e.g. a lint: section)
     * @param releases  the folder holding {@code <release>/migrations} (default: the shop's own releases)
     */
    DaemonFixture(Path dir, int rollbackLimit, String extraEnv, String extraYaml, Path releases) throws IOException {
        this.dir = dir;
        this.jar = daemonJar();
        this.routerPort = freePort();
        this.adminPort = freePort();
        String shop = "-cp " + jar + ":" + shopClasses() + " Shop";
        Files.writeString(dir.resolve("switchback.yml"), String.join("\n",
                "database:",
                "  url: jdbc:sqlite:.switchback/shop.db",
                "migrations:",
                "  locations:",
                "    - " + releases + "/${RELEASE}/migrations",
                "deploy:",
                "  rollbackLimit: " + rollbackLimit,
                "  router: {listen: 127.0.0.1:" + routerPort + "}",
                "  admin: {listen: 127.0.0.1:" + adminPort + "}",
                "  service:",
                "    command:",
                "      - sh",
                "      - -c",
                "      - 'case \"$RELEASE\" in bad-exit) export SHOP_FAIL=exit;; bad-health) export SHOP_FAIL=unhealthy;; "
                        + "bad-500) export SHOP_FAIL=500;; forks) java -XX:TieredStopAtLevel=1 " + shop
                        + " & exit 0;; esac; exec java -XX:TieredStopAtLevel=1 " + shop + "'",
                "    env:",
                "      DATABASE_URL: jdbc:sqlite:" + dir.resolve(".switchback/shop.db"),
                "      DATABASE_PASSWORD: s3cr3t-shop-pass",
                extraEnv,
                // two 2xx answers in a row, 200 ms apart: the production default's seconds would add up over a hundred gates
                "    healthCheck: {interval: 200ms, timeout: 60s, healthyThreshold: 2}",
                "    stopTimeout: 10s",
                "    drainTimeout: 60s",
                extraYaml,
                ""));
    }

    /** Adds lines to the deploy: section (e.g. "failover: none"), before the daemon starts or before it is started again. */
    DaemonFixture withDeploy(String... lines) throws IOException {
        Path yml = dir.resolve("switchback.yml");
        StringBuilder added = new StringBuilder();
        for (String line : lines) {
            added.append("  ").append(line.replace("\n", "\n  ")).append("\n");
        }
        Files.writeString(yml, Files.readString(yml).replaceFirst("(?m)^deploy:\n", "deploy:\n" + java.util.regex.Matcher.quoteReplacement(added.toString())));
        return this;
    }

    void start() throws Exception {
        start(true);
    }

    /** @param tokenInEnvironment false: serve finds or creates .switchback/admin.token, as without SWITCHBACK_ADMIN_TOKEN */
    void start(boolean tokenInEnvironment) throws Exception {
        if (!archived(jar)) {
            // the launcher records its serve archive next to the jar at the first start: one daemon at a time until then
            synchronized (FIRST_START) {
                launch(tokenInEnvironment);
                markArchived(jar);
            }
        } else {
            launch(tokenInEnvironment);
        }
    }

    private void launch(boolean tokenInEnvironment) throws Exception {
        // through the launcher, as a user starts it (it execs java, so this process is the daemon's JVM)
        ProcessBuilder pb = new ProcessBuilder(Cli.LAUNCHER.toString(), "-c", dir.resolve("switchback.yml").toString(), "serve")
                .directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("serve.log").toFile()));
        pb.environment().keySet().removeIf(k -> k.startsWith("SWITCHBACK_"));
        pb.environment().put("SWITCHBACK_JAR", jar.toString());
        if (tokenInEnvironment) {
            pb.environment().put("SWITCHBACK_ADMIN_TOKEN", token);
        }
        daemon = pb.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!daemon.isAlive()) {
                throw new AssertionError("the daemon exited: " + Files.readString(dir.resolve("serve.log")));
            }
            try {
                if (get(adminPort, "/health").statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the daemon did not answer /health within 60 s: " + Files.readString(dir.resolve("serve.log")));
    }

    /** SIGKILL, as a crash would. */
    void kill() throws InterruptedException {
        daemon.destroyForcibly();
        daemon.waitFor(10, TimeUnit.SECONDS);
    }

    HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(90)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path, String json, String bearer) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + path)).timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The CLI against this daemon (env SWITCHBACK_ADMIN_TOKEN is what both use). */
    Cli.Result cli(String... args) {
        return cli(Map.of(), args);
    }

    /** The CLI with more environment, e.g. the runbook's HEALTH_CHECK_TIMEOUT. */
    Cli.Result cli(Map<String, String> env, String... args) {
        List<String> all = new ArrayList<>(List.of("-c", dir.resolve("switchback.yml").toString()));
        all.addAll(List.of(args));
        Map<String, String> withToken = Cli.env("SWITCHBACK_ADMIN_TOKEN", token);
        withToken.putAll(env);
        return Cli.run(dir, withToken, all.toArray(String[]::new));
    }

    /**
     * What {@code upgrade status --json} prints, read from the admin API directly: for the checks a test polls, where a
     * CLI process (a JVM start) every 200 ms would take CPU from the daemon and releases being waited for.
     */
    com.fasterxml.jackson.databind.JsonNode status() throws IOException, InterruptedException {
        HttpResponse<String> r = get(adminPort, "/api/deployments/status");
        if (r.statusCode() != 200) {
            throw new AssertionError("GET /api/deployments/status answered " + r.statusCode() + ": " + r.body());
        }
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.body());
    }

    String log() throws IOException {
        return Files.readString(dir.resolve("serve.log"), StandardCharsets.UTF_8);
    }

    /** Stops the daemon and every release it started (they outlive the daemon by design). */
    @Override
    public void close() throws Exception {
        if (daemon != null) {
            daemon.destroy();
            daemon.waitFor(10, TimeUnit.SECONDS);
            daemon.destroyForcibly();
        }
        for (ProcessHandle p : shopProcesses()) {
            p.destroy();
        }
        for (ProcessHandle p : shopProcesses()) {
            p.onExit().get(10, TimeUnit.SECONDS);
        }
    }

    /** The shop releases this fixture started (their command line names its database file). */
    List<ProcessHandle> shopProcesses() {
        return ProcessHandle.allProcesses().filter(p -> p.info().commandLine().orElse("").contains(SHOP_CLASSES.toString()))
                .filter(p -> {
                    try {
                        return Files.readString(Path.of("/proc/" + p.pid() + "/environ")).contains(dir.resolve(".switchback/shop.db").toString());
                    } catch (IOException e) {
                        return false;
                    }
                }).toList();
    }

    /** The jar the daemons run: copied once per build of the CLI jar, in a folder of this test run's own. */
    private static synchronized Path daemonJar() throws IOException {
        FileTime built = Files.getLastModifiedTime(BUILT_JAR);
        if (sharedJar == null || !built.equals(sharedJarBuilt)) {
            Path copies = Files.createTempDirectory("switchback-daemon-jar-");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(copies)));
            sharedJar = Files.copy(BUILT_JAR, copies.resolve("switchback.jar"));
            sharedJarBuilt = built;
            sharedJarArchived = false;
        }
        return sharedJar;
    }

    private static synchronized boolean archived(Path jar) {
        return sharedJarArchived || !jar.equals(sharedJar);
    }

    private static synchronized void markArchived(Path jar) {
        sharedJarArchived |= jar.equals(sharedJar);
    }

    private static void deleteTree(Path root) {
        try (java.util.stream.Stream<Path> files = Files.walk(root)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // a temp folder; the OS cleans up
        }
    }

    static synchronized Path shopClasses() {
        if (!shopCompiled) {
            javax.tools.JavaCompiler javac = javax.tools.ToolProvider.getSystemJavaCompiler();
            int rc = javac.run(null, null, null, "-d", SHOP_CLASSES.toString(), Cli.ROOT.resolve("examples/shop/Shop.java").toString());
            if (rc != 0) {
                throw new AssertionError("examples/shop/Shop.java did not compile (javac exit " + rc + ")");
            }
            shopCompiled = true;
        }
        return SHOP_CLASSES;
    }

    /** The running processes named {@code name} ("web", a worker) of {@code slot} in a status reply, by instance number. */
    static List<com.fasterxml.jackson.databind.JsonNode> running(com.fasterxml.jackson.databind.JsonNode status, String slot, String name) {
        List<com.fasterxml.jackson.databind.JsonNode> out = new ArrayList<>();
        status.path("slots").path(slot).path("processes").forEach(p -> {
            if (p.path("name").asText().equals(name) && !p.path("pid").isNull()) {
                out.add(p);
            }
        });
        out.sort(java.util.Comparator.comparingInt(p -> p.path("instance").asInt()));
        return out;
    }

    interface Check {
        boolean ok() throws Exception;
    }

    /** Polls every 200 ms until {@code check} holds; fails naming {@code what} after {@code seconds}. */
    static void waitFor(Check check, int seconds, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            if (check.ok()) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("not within " + seconds + " s: " + what);
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}

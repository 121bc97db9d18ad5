package dev.switchback.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchback.backup.BackupConfig;
import dev.switchback.backup.BackupSetting;
import dev.switchback.backup.Backups;
import dev.switchback.deploy.DeployConfig;
import dev.switchback.deploy.DeploySetting;
import dev.switchback.deploy.ReleaseMigrations;
import dev.switchback.migration.ErrorCode;
import dev.switchback.migration.Migrator;
import dev.switchback.migration.Switchback;
import dev.switchback.migration.SwitchbackException;
import dev.switchback.server.AdminToken;
import dev.switchback.server.Daemon;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

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
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

@Command(name = "demo", description = "Run the whole machinery on examples/shop with SQLite and the built-in router: start the "
        + "daemon, deploy v1, send steady traffic, upgrade to v2 (backup, migrate, health gate, switch), roll back, print status "
        + "and the requests sent and failed, then stop everything it started.")
final class DemoCommand implements Callable<Integer> {
    @Mixin
    HelpOption help;

    @ParentCommand
    SwitchbackCommand root;

    @Option(names = "--clients", defaultValue = "8", description = "concurrent clients sending traffic (default 8)")
    int clients;

    @Option(names = "--keep", description = "leave the scratch folder (state, snapshots, backups, logs) for a look")
    boolean keep;

    @Override
    public Integer call() throws Exception {
        Output out = root.output();
        Path repo = repositoryRoot();
        Path shop = repo.resolve("examples/shop");
        Path builtJar = runningJar(repo);
        // everything the demo needs was found before the scratch folder exists; it goes whatever happens next
        Path work = Files.createTempDirectory("switchback-demo-");
        try {
            return run(out, shop, builtJar, work);
        } finally {
            if (!keep) {
                deleteTree(work);
            }
        }
    }

    private int run(Output out, Path shop, Path builtJar, Path work) throws Exception {
        // the releases run from a copy: a rebuild of the CLI jar during the demo must not pull classes from under them
        Path jar = Files.copy(builtJar, work.resolve("switchback.jar"));
        int routerPort = freePort();
        int adminPort = freePort();
        String db = "jdbc:sqlite:" + work.resolve("shop.db");

        Map<DeploySetting, String> d = new EnumMap<>(DeploySetting.class);
        d.put(DeploySetting.DIRECTORY, work.resolve("deployments").toString());
        d.put(DeploySetting.ROUTER_LISTEN, "127.0.0.1:" + routerPort);
        d.put(DeploySetting.ADMIN_LISTEN, "127.0.0.1:" + adminPort);
        d.put(DeploySetting.COMMAND, String.join("\n", "java", "-XX:TieredStopAtLevel=1", "-cp", jar.toString(),
                shop.resolve("Shop.java").toString()));
        d.put(DeploySetting.ENV, "DATABASE_URL=" + db);
        d.put(DeploySetting.HEALTH_INTERVAL, "1s");
        d.put(DeploySetting.STOP_TIMEOUT, "10s");
        DeployConfig deploy = DeployConfig.from(d, work);
        Map<BackupSetting, String> b = new EnumMap<>(BackupSetting.class);
        b.put(BackupSetting.DIRECTORY, work.resolve("backups").toString());
        BackupConfig backup = BackupConfig.from(b, work);
        ReleaseMigrations migrations = new ReleaseMigrations() {
            @Override
            public Migrator migrator(String release) {
                return Switchback.configure().url(db).locations(shop.resolve("releases").resolve(release).resolve("migrations").toString())
                        .baseDir(work).environment(Map.of()).load();
            }

            @Override
            public Backups backups(Migrator m) {
                return new Backups(m, backup);
            }

            @Override
            public boolean backupBeforeMigrate() {
                return true;
            }
        };

        out.line("Switchback demo: examples/shop on SQLite, router on 127.0.0.1:%d, admin API on 127.0.0.1:%d", routerPort, adminPort);
        out.line("Scratch folder: %s", work);
        String token = AdminToken.resolve(deploy.stateDir(), null);
        Daemon daemon = Daemon.start(deploy, migrations, token, Map.of("demo", true));
        Traffic traffic = null;
        try {
            AdminClient admin = new AdminClient(deploy);
            out.line("");
            out.line("1. Deploy v1 (migrate 001-002 after a backup, start it in blue, health gate, switch)");
            step(out, admin.post("/api/deployments/perform", Map.of("release", "v1")));
            traffic = new Traffic(routerPort, clients);
            out.line("2. Steady traffic from %d clients through the router", clients);
            Thread.sleep(2000);
            out.line("3. Upgrade to v2 (backup, expand migration 003, start green beside blue, health gate, switch)");
            step(out, admin.post("/api/deployments/perform", Map.of("release", "v2")));
            Thread.sleep(2000);
            out.line("4. Roll back to v1: blue is still warm, so the switch is instant; the schema keeps v2's expand migration");
            JsonNode rb = admin.post("/api/deployments/rollback", Map.of("schema", "none"));
            out.line("   %s -> %s. %s", rb.path("from").asText(), rb.path("to").asText(), rb.path("schemaMessage").asText());
            Thread.sleep(2000);
            traffic.stop();
            out.line("");
            out.line("5. Status");
            new UpgradeCommand.Status().print(out, admin.get("/api/deployments/status"));
            out.line("");
            out.line("Requests sent: %d, failed: %d (served by blue: %d, green: %d)", traffic.sent.get(), traffic.failed.get(),
                    traffic.bySlot.getOrDefault("blue", new AtomicLong()).get(), traffic.bySlot.getOrDefault("green", new AtomicLong()).get());
            return traffic.failed.get() == 0 ? 0 : ErrorCode.FAILED.exitCode();
        } finally {
            if (traffic != null) {
                traffic.stop();
            }
            daemon.deployer().stopAll();
            daemon.close();
            out.line("Stopped the daemon and both releases.%s", keep ? " Left " + work + " for a look." : "");
        }
    }

    private static void step(Output out, JsonNode r) {
        JsonNode checks = r.path("healthChecks");
        out.line("   %s in %s: schema %s -> %s, migrations %s, backup %s, healthy after %d checks (last %s), switched: %s",
                r.path("release").asText(), r.path("slot").asText(), r.path("schemaBefore").asText("none"),
                r.path("schemaAfter").asText("none"), r.path("migrationsApplied"), r.path("backupId").asText("none"), checks.size(),
                checks.size() == 0 ? "-" : checks.get(checks.size() - 1).asText(), r.path("switched").asBoolean());
    }

    /** Steady GETs through the router, counting what answered and what failed. */
    private static final class Traffic {
        final AtomicLong sent = new AtomicLong();
        final AtomicLong failed = new AtomicLong();
        final Map<String, AtomicLong> bySlot = new ConcurrentHashMap<>();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final List<Thread> threads = new ArrayList<>();

        Traffic(int port, int clients) {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
            for (int i = 0; i < clients; i++) {
                Thread t = new Thread(() -> {
                    while (running.get() && System.nanoTime() < deadline) {
                        sent.incrementAndGet();
                        try {
                            HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/products"))
                                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.discarding());
                            if (r.statusCode() != 200) {
                                failed.incrementAndGet();
                            }
                            bySlot.computeIfAbsent(r.headers().firstValue("X-Slot").orElse("?"), k -> new AtomicLong()).incrementAndGet();
                        } catch (IOException e) {
                            failed.incrementAndGet();
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                }, "demo-traffic-" + i);
                t.setDaemon(true);
                t.start();
                threads.add(t);
            }
        }

        void stop() throws InterruptedException {
            running.set(false);
            for (Thread t : threads) {
                t.join(30_000);
            }
        }
    }

    /**
     * The checkout holding examples/shop: the launcher's (bin/switchback passes it as switchback.home, wherever the jar
     * and the working directory are), else upwards from the jar, else upwards from here.
     */
    private static Path repositoryRoot() throws Exception {
        String home = System.getProperty("switchback.home");
        if (home != null && Files.isDirectory(Path.of(home, "examples/shop"))) {
            return Path.of(home).toAbsolutePath();
        }
        Path jar = codeSource();
        for (Path p = jar.toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("examples/shop"))) {
                return p;
            }
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("examples/shop"))) {
                return p;
            }
        }
        throw new SwitchbackException(ErrorCode.CONFIG, "Cannot find examples/shop beside " + jar + ", above it or above "
                + Path.of("").toAbsolutePath() + ": run the demo with the checkout's bin/switchback, or from the checkout");
    }

    /** The jar this CLI runs from (the releases get a copy); when run from classes, the checkout's built jar. */
    private static Path runningJar(Path repo) throws Exception {
        Path self = codeSource();
        if (Files.isRegularFile(self) && self.toString().endsWith(".jar")) {
            return self;
        }
        Path built = repo.resolve("switchback-cli/target/switchback.jar");
        if (!Files.isRegularFile(built)) {
            throw new SwitchbackException(ErrorCode.CONFIG, "The demo's releases run from the CLI jar, and " + built + " does not exist: "
                    + "build it with `mvn -DskipTests -pl switchback-cli -am package` in " + repo + " (bin/switchback does so itself)");
        }
        return built;
    }

    private static Path codeSource() throws Exception {
        return Path.of(DemoCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var all = Files.walk(dir)) {
            for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}

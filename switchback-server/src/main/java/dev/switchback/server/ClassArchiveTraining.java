package dev.switchback.server;

import dev.switchback.deploy.DeployConfig;
import dev.switchback.deploy.Deployer;
import dev.switchback.deploy.HealthGate;
import dev.switchback.deploy.Slot;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A short run of the daemon's start-up path on ephemeral 127.0.0.1 ports, for {@code bin/switchback} to record the
 * classes it loads into a class-data-sharing archive ({@code -XX:ArchiveClassesAtExit}). A later {@code serve} that
 * maps the archive starts about a second sooner, which is most of what a restarted daemon needs to serve again
 * within two seconds. Nothing here touches the service's state or ports.
 */
public final class ClassArchiveTraining {
    private ClassArchiveTraining() {
    }

    /** @param config the service's deploy settings; the run uses copies of its directories under a temporary folder */
    public static void run(DeployConfig config) throws Exception {
        Path tmp = Files.createTempDirectory("switchback-cds-");
        DeployConfig scratch = new DeployConfig(tmp.resolve("deployments"), config.rollbackLimit(), config.autoSwitch(),
                config.autoCleanup(), "127.0.0.1", 0, "127.0.0.1", 0, config.command(), tmp, config.env(), config.healthPath(),
                config.healthInterval(), config.healthTimeout(), config.healthyThreshold(), config.stopTimeout(),
                config.drainTimeout(), tmp.resolve("state"), config.analysis(), config.rollout(), dev.switchback.deploy.FailoverSettings.DEFAULTS,
                java.util.List.of());
        Vertx vertx = Vertx.vertx();
        Router router = null;
        try {
            HttpServer backend = vertx.createHttpServer().requestHandler(r -> r.response().end("ok\n"))
                    .listen(0, "127.0.0.1").await(30, TimeUnit.SECONDS);
            Metrics metrics = new Metrics();
            router = new Router(metrics);
            router.route(Slot.BLUE, backend.actualPort());
            int front = router.listen("127.0.0.1", 0).get(30, TimeUnit.SECONDS);
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            for (int i = 0; i < 20; i++) {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + front + "/"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() != 200) {
                    throw new IllegalStateException("a request through the router answered " + r.statusCode());
                }
            }
            // the daemon's own start-up: state, adoption (of nothing), the admin API
            Deployer deployer = new Deployer(scratch, router, null, metrics, Map.of());
            deployer.routeRecorded();
            deployer.adopt();
            new HealthGate(scratch).check(backend.actualPort());
            AdminApi admin = new AdminApi(vertx, deployer, router, metrics, "training", release -> null);
            HttpServer adminServer = admin.listen("127.0.0.1", 0).await(30, TimeUnit.SECONDS);
            for (String path : new String[]{"/health", "/api/deployments/status", "/metrics"}) {
                http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminServer.actualPort() + path))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            }
        } finally {
            if (router != null) {
                router.close();
            }
            vertx.close().await(10, TimeUnit.SECONDS);
            try (var files = Files.walk(tmp)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}

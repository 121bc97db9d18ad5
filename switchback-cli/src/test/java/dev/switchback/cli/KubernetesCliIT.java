package dev.switchback.cli;

import dev.switchback.cli.Cli.Result;
import dev.switchback.kubernetes.PrometheusFixture;
import dev.switchback.kubernetes.TestController;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPBackendRef;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code deploy.runtime: kubernetes} from the launcher: perform, status, rollback and render drive fabric8's mock API
 * server (CRUD mode, the test controller writing Deployment status) through a kubeconfig, no daemon; the migrations
 * run locally against a real SQLite file.
 */
@EnableKubernetesMockClient(crud = true)
class KubernetesCliIT {
    static KubernetesClient client;
    static KubernetesMockServer server;

    @TempDir
    Path tmp;
    private final PrometheusFixture prometheus = new PrometheusFixture();

    KubernetesCliIT() throws java.io.IOException {
    }

    @org.junit.jupiter.api.AfterEach
    void stopPrometheus() {
        prometheus.close();
    }

    @Test
    void performStatusRollbackAndRenderThroughTheApi() throws Exception {
        Path m = Files.createDirectories(tmp.resolve("migrations"));
        Files.writeString(m.resolve("001_items.sql"), "CREATE TABLE items (id int PRIMARY KEY);\n");
        template(tmp, "[]");
        Files.writeString(tmp.resolve("switchback.yml"), """
                database:
                  url: jdbc:sqlite:%s
                migrations:
                  locations: [%s]
                deploy:
                  runtime: kubernetes
                  service:
                    healthCheck: {interval: 50ms, timeout: 30s}
                  bluegreen: {watch: 0s}
                  analysis:
                    prometheus: {url: "%s"}
                  kubernetes:
                    namespace: shop
                    name: shop
                    deployment: deployment.yaml
                    httpRoute: shop
                    httpRouteRule: 1
                """.formatted(tmp.resolve("app.db"), m, prometheus.url()));
        Path kubeconfig = kubeconfig("shop");
        client.resources(HTTPRoute.class).inNamespace("shop").resource(new HTTPRouteBuilder().withNewMetadata().withName("shop").endMetadata()
                .withNewSpec().addNewRule().addNewBackendRef().withName("search").withPort(9000).endBackendRef().endRule()
                .addNewRule().addNewBackendRef().withName("shop-blue").withPort(8080).endBackendRef()
                .addNewBackendRef().withName("shop-green").withPort(8080).endBackendRef().endRule().endSpec().build())
                .createOr(NonDeletingOperation::update); // a POST the client retried after a time-out under load would find its own
        Map<String, String> env = Cli.env("KUBECONFIG", kubeconfig.toString());
        try (TestController controller = new TestController(client, "shop", server)) {
            Result v1 = Cli.ok(Cli.run(tmp, env, "upgrade", "perform", "--release", "v1", "--no-backup"));
            assertThat(v1.out()).contains("Release v1 is running in blue");
            Result v2 = Cli.ok(Cli.run(tmp, env, "upgrade", "perform", "--release", "v2", "--no-backup"));
            assertThat(v2.out()).contains("Release v2 is running in green").contains("v1 stays warm");
            assertThat(weights()).containsExactly(0, 100);

            Result status = Cli.ok(Cli.run(tmp, env, "--json", "upgrade", "status"));
            assertThat(status.out()).contains("\"active\" : \"green\"").contains("\"release\" : \"v1\"");
            Result rollback = Cli.ok(Cli.run(tmp, env, "upgrade", "rollback"));
            assertThat(rollback.out()).contains("Traffic is back on v1");
            assertThat(weights()).containsExactly(100, 0);

            // a canary left by a CLI that went away (--detach) stays at its weight; the next command picks it up from the cluster
            Result canary = Cli.ok(Cli.run(tmp, env, "upgrade", "perform", "--release", "v3", "--strategy", "canary", "--detach",
                    "--skip-migrations"));
            assertThat(canary.out()).contains("v3 at 5%");
            assertThat(weights()).containsExactly(95, 5);
            assertThat(Cli.ok(Cli.run(tmp, env, "--json", "upgrade", "status")).out()).contains("\"weight\" : 5");
            assertThat(Cli.ok(Cli.run(tmp, env, "upgrade", "abort")).out()).contains("aborted");
            assertThat(weights()).containsExactly(100, 0);

            Result render = Cli.ok(Cli.run(tmp, env, "k8s", "render", "--release", "v3", "--weight", "10"));
            assertThat(render.out()).contains("name: \"shop-green\"").contains("ghcr.io/acme/shop:v3").contains("name: \"search\"");

            Result toGreen = Cli.run(tmp, env, "upgrade", "switch", "green");
            assertThat(toGreen.exit()).as(toGreen.describe()).isEqualTo(2);
            assertThat(toGreen.err()).contains("No ready release in green");
            Result maintenance = Cli.run(tmp, env, "upgrade", "maintenance", "on");
            assertThat(maintenance.exit()).isEqualTo(2);
            assertThat(maintenance.err()).contains("Route to a maintenance page with your Gateway");
            Result pause = Cli.run(tmp, env, "upgrade", "pause");
            assertThat(pause.exit()).isEqualTo(2);
            assertThat(pause.err()).contains("nothing can hold them");
        }
        Result migrated = Cli.ok(Cli.run(tmp, Map.of(), "status"));
        assertThat(migrated.out()).contains("001");
    }

    private static java.util.List<Integer> weights() {
        return client.resources(HTTPRoute.class).inNamespace("shop").withName("shop").get().getSpec().getRules().get(1)
                .getBackendRefs().stream().map(HTTPBackendRef::getWeight).toList();
    }

    /** The weights of the route in namespace served (one rule). */
    private static java.util.List<Integer> servedWeights() {
        return client.resources(HTTPRoute.class).inNamespace("served").withName("shop").get().getSpec().getRules().get(0)
                .getBackendRefs().stream().map(HTTPBackendRef::getWeight).toList();
    }

    /**
     * migrations: job. The test controller runs each Job's pod as the launcher's {@code migrate} in a folder standing
     * for the release's image, with the Job container's env (the database URL comes from the template, not from this
     * CLI's configuration): a migration that fails there fails the perform with the exit code a local migrate has.
     */
    @Test
    void migrationsRunAsAJobAndAFailedOneFailsThePerformAsALocalMigrateWould() throws Exception {
        Path image = Files.createDirectories(tmp.resolve("image"));
        Path m = Files.createDirectories(image.resolve("migrations"));
        Files.writeString(m.resolve("001_items.sql"), "CREATE TABLE items (id int PRIMARY KEY);\n");
        Files.writeString(image.resolve("switchback.yml"), "migrations:\n  locations: [migrations]\n");
        Path ops = Files.createDirectories(tmp.resolve("ops"));
        template(ops, "[{name: SWITCHBACK_DATABASE_URL, value: \"jdbc:sqlite:" + tmp.resolve("jobs.db") + "\"}]");
        Files.writeString(ops.resolve("switchback.yml"), """
                deploy:
                  runtime: kubernetes
                  service:
                    healthCheck: {interval: 50ms, timeout: 30s}
                  bluegreen: {watch: 0s}
                  kubernetes:
                    namespace: jobs
                    name: shop
                    deployment: deployment.yaml
                    migrations: job
                    migrateTimeout: 2m
                """);
        Map<String, String> env = Cli.env("KUBECONFIG", kubeconfig("jobs").toString());
        try (TestController controller = new TestController(client, "jobs", server)) {
            controller.jobs(container -> {
                Map<String, String> podEnv = new java.util.HashMap<>();
                container.getEnv().forEach(e -> podEnv.put(e.getName(), e.getValue()));
                java.util.List<String> command = container.getCommand();
                Result r = Cli.run(image, podEnv, command.subList(1, command.size()).toArray(String[]::new));
                return new TestController.Run(r.exit(), r.out() + r.err());
            });
            Result v1 = Cli.ok(Cli.run(ops, env, "upgrade", "perform", "--release", "v1"));
            assertThat(v1.err()).containsPattern("Migration Job shop-migrate-v1-[0-9a-f]{8} succeeded");
            assertThat(v1.out()).contains("Release v1 is running in blue");

            Files.writeString(m.resolve("002_again.sql"), "CREATE TABLE items (id int PRIMARY KEY);\n");
            Result v2 = Cli.run(ops, env, "upgrade", "perform", "--release", "v2");
            assertThat(v2.err()).contains("Upgrade to v2 stopped at migrate; traffic stays on v1")
                    .containsPattern("Migration Job jobs/shop-migrate-v2-[0-9a-f]{8} failed").contains("already exists");
            assertThat(client.services().inNamespace("jobs").withName("shop").get().getSpec().getSelector())
                    .containsEntry("switchback.dev/slot", "blue");
            assertThat(client.apps().deployments().inNamespace("jobs").withName("shop-green").get()).isNull();
            Result local = Cli.run(image, Map.of("SWITCHBACK_DATABASE_URL", "jdbc:sqlite:" + tmp.resolve("jobs.db")), "migrate");
            assertThat(local.exit()).as(local.describe()).isNotZero();
            assertThat(v2.exit()).as(v2.describe()).isEqualTo(local.exit());
        }
    }

    /** The slots' Deployment template in {@code dir}, its container's {@code env} a YAML flow list. */
    private static void template(Path dir, String env) throws java.io.IOException {
        Files.writeString(dir.resolve("deployment.yaml"), """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: shop}
                spec:
                  selector: {matchLabels: {app: shop}}
                  template:
                    metadata: {labels: {app: shop}}
                    spec: {containers: [{name: app, image: "ghcr.io/acme/shop:${RELEASE}", env: %s}]}
                """.formatted(env));
    }

    private Path kubeconfig(String namespace) throws java.io.IOException {
        Path kubeconfig = tmp.resolve("kubeconfig-" + namespace);
        Files.writeString(kubeconfig, """
                apiVersion: v1
                kind: Config
                clusters: [{name: mock, cluster: {server: "%s", insecure-skip-tls-verify: true}}]
                users: [{name: me, user: {token: t0ken}}]
                contexts: [{name: mock, context: {cluster: mock, user: me, namespace: %s}}]
                current-context: mock
                """.formatted(client.getConfiguration().getMasterUrl(), namespace));
        return kubeconfig;
    }

    /**
     * {@code serve} as it runs in the cluster, a real process with its own kubeconfig: a canary a CLI started and left
     * ({@code --detach}) is promoted by it, unattended, as Prometheus' counters (the fixture, bumped by this test while it
     * waits) show a healthy canary. Then {@code k8s render --serve} prints serve's own manifests.
     */
    @Test
    void serveInTheClusterPromotesACanaryTheCliLeft() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("served"));
        template(dir, "[]");
        Files.writeString(dir.resolve("switchback.yml"), """
                deploy:
                  runtime: kubernetes
                  service:
                    healthCheck: {interval: 50ms, timeout: 30s}
                  canary: {steps: "10, 100", stepDuration: 1s, progressDeadline: 60s}
                  analysis:
                    minRequests: 50
                    prometheus: {url: "%s"}
                  kubernetes:
                    namespace: served
                    name: shop
                    deployment: deployment.yaml
                    httpRoute: shop
                """.formatted(prometheus.url()));
        client.resources(HTTPRoute.class).inNamespace("served").resource(new HTTPRouteBuilder().withNewMetadata().withName("shop")
                .endMetadata().withNewSpec().addNewRule().addNewBackendRef().withName("shop-blue").withPort(8080).endBackendRef()
                .addNewBackendRef().withName("shop-green").withPort(8080).endBackendRef().endRule().endSpec().build())
                .createOr(NonDeletingOperation::update); // a POST the client retried after a time-out under load would find its own
        Map<String, String> env = Cli.env("KUBECONFIG", kubeconfig("served").toString());
        try (TestController controller = new TestController(client, "served", server)) {
            Cli.ok(Cli.run(dir, env, "upgrade", "perform", "--release", "v1", "--skip-migrations"));
            Cli.Running serve = Cli.start(dir, env, "serve");
            try {
                prometheus.set("blue", 0, 0, 0.02);
                prometheus.set("green", 0, 0, 0.02);
                Result canary = Cli.ok(Cli.run(dir, env, "upgrade", "perform", "--release", "v2", "--strategy", "canary", "--detach",
                        "--skip-migrations"));
                assertThat(canary.out()).contains("v2 at 10%");
                long served = 0;
                long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
                while (servedWeights().get(1) < 100 && System.nanoTime() < deadline && serve.isAlive()) {
                    served += 20;
                    prometheus.set("blue", served, 0, 0.02);
                    prometheus.set("green", served, 0, 0.02);
                    Thread.sleep(100);
                }
                assertThat(servedWeights()).as(serve.stderrSoFar()).containsExactly(0, 100);
            } finally {
                Result stopped = serve.terminate();
                assertThat(stopped.out()).contains("switchback serve: driving the rollouts of shop in namespace served");
            }
            assertThat(Cli.ok(Cli.run(dir, env, "--json", "upgrade", "status")).out()).contains("\"state\" : \"promoted\"")
                    .contains("\"active\" : \"green\"");
            Result manifests = Cli.ok(Cli.run(dir, env, "k8s", "render", "--serve", "--image", "ghcr.io/acme/switchback:1"));
            assertThat(manifests.out()).contains("kind: \"Role\"").contains("kind: \"RoleBinding\"").contains("kind: \"ServiceAccount\"")
                    .contains("image: \"ghcr.io/acme/switchback:1\"").contains("- \"serve\"");
        }
    }
}

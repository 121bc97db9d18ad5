package dev.switchback.cli;

import dev.switchback.cli.Cli.Result;
import dev.switchback.kubernetes.PrometheusFixture;
import dev.switchback.kubernetes.TestController;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPBackendRef;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
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

    @TempDir
    Path tmp;
    private final PrometheusFixture prometheus = new PrometheusFixture();

    KubernetesCliIT() throws java.io.IOException {
    }

    @Test
    void performStatusRollbackAndRenderThroughTheApi() throws Exception {
        Path m = Files.createDirectories(tmp.resolve("migrations"));
        Files.writeString(m.resolve("001_items.sql"), "CREATE TABLE items (id int PRIMARY KEY);\n");
        Files.writeString(tmp.resolve("deployment.yaml"), """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: shop}
                spec:
                  replicas: 2
                  selector: {matchLabels: {app: shop}}
                  template:
                    metadata: {labels: {app: shop}}
                    spec: {containers: [{name: app, image: "ghcr.io/acme/shop:${RELEASE}"}]}
                """);
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
        Path kubeconfig = tmp.resolve("kubeconfig");
        Files.writeString(kubeconfig, """
                apiVersion: v1
                kind: Config
                clusters: [{name: mock, cluster: {server: "%s", insecure-skip-tls-verify: true}}]
                users: [{name: me, user: {token: t0ken}}]
                contexts: [{name: mock, context: {cluster: mock, user: me, namespace: shop}}]
                current-context: mock
                """.formatted(client.getConfiguration().getMasterUrl()));
        client.resources(HTTPRoute.class).inNamespace("shop").resource(new HTTPRouteBuilder().withNewMetadata().withName("shop").endMetadata()
                .withNewSpec().addNewRule().addNewBackendRef().withName("search").withPort(9000).endBackendRef().endRule()
                .addNewRule().addNewBackendRef().withName("shop-blue").withPort(8080).endBackendRef()
                .addNewBackendRef().withName("shop-green").withPort(8080).endBackendRef().endRule().endSpec().build()).create();
        Map<String, String> env = Cli.env("KUBECONFIG", kubeconfig.toString());
        try (TestController controller = new TestController(client, "shop"); PrometheusFixture prometheus = this.prometheus) {
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
        }
        Result migrated = Cli.ok(Cli.run(tmp, Map.of(), "status"));
        assertThat(migrated.out()).contains("001");
    }

    private static java.util.List<Integer> weights() {
        return client.resources(HTTPRoute.class).inNamespace("shop").withName("shop").get().getSpec().getRules().get(1)
                .getBackendRefs().stream().map(HTTPBackendRef::getWeight).toList();
    }
}

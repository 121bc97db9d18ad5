package dev.switchback.kubernetes;

import dev.switchback.deploy.DeployConfig;
import dev.switchback.deploy.DeploySetting;
import dev.switchback.deploy.PerformRequest;
import dev.switchback.deploy.PerformResult;
import dev.switchback.deploy.rollout.Rollout;
import dev.switchback.deploy.rollout.RolloutRequest;
import dev.switchback.deploy.rollout.RolloutState;
import dev.switchback.deploy.rollout.Strategy;
import dev.switchback.migration.ErrorCode;
import dev.switchback.migration.SwitchbackException;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPBackendRef;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The Kubernetes runtime against fabric8's mock API server in CRUD mode, with {@link TestController} playing the
 * cluster's controllers and {@link PrometheusFixture} answering the analysis' queries. Each test has its own namespace.
 */
@EnableKubernetesMockClient(crud = true)
class KubernetesRolloutIT {
    static KubernetesMockServer server;
    static KubernetesClient client;
    private static final AtomicInteger NS = new AtomicInteger();
    private static PrometheusFixture prometheus;

    @TempDir
    Path dir;

    @BeforeAll
    static void prometheus() throws IOException {
        prometheus = new PrometheusFixture();
    }

    @AfterAll
    static void stop() {
        prometheus.close();
    }

    /** A test clock the rollout engine reads: the canary's steps pass without waiting them out. */
    static final class TestClock extends Clock {
        volatile Instant now = Instant.parse("2026-12-06T05:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private final class Cluster implements AutoCloseable {
        final String ns = "shop-" + NS.incrementAndGet();
        final TestController controller = new TestController(client, ns, server);
        final TestClock clock = new TestClock();
        KubernetesConfig config;
        DeployConfig deploy;
        Map<DeploySetting, String> d;

        Cluster(boolean gateway, String strategy) throws IOException {
            this(gateway, strategy, "local");
        }

        Cluster(boolean gateway, String strategy, String migrations) throws IOException {
            Path template = dir.resolve("deployment.yaml");
            Files.writeString(template, """
                    apiVersion: apps/v1
                    kind: Deployment
                    metadata:
                      name: shop
                      labels: {team: web}
                    spec:
                      replicas: 2
                      selector: {matchLabels: {app: shop}}
                      template:
                        metadata: {labels: {app: shop}}
                        spec:
                          serviceAccountName: shop
                          containers:
                          - name: app
                            image: registry.example/shop:${RELEASE}
                            ports: [{containerPort: 8080}]
                            readinessProbe: {httpGet: {path: /health, port: 8080}}
                            env:
                            - name: SWITCHBACK_DATABASE_URL
                              valueFrom: {secretKeyRef: {name: shop-db, key: url}}
                    """);
            Map<KubernetesSetting, String> k = new EnumMap<>(KubernetesSetting.class);
            k.put(KubernetesSetting.RUNTIME, "kubernetes");
            k.put(KubernetesSetting.NAMESPACE, ns);
            k.put(KubernetesSetting.NAME, "shop");
            k.put(KubernetesSetting.DEPLOYMENT, "deployment.yaml");
            k.put(KubernetesSetting.MIGRATIONS, migrations);
            if (gateway) {
                k.put(KubernetesSetting.HTTP_ROUTE, "shop");
                k.put(KubernetesSetting.HTTP_ROUTE_RULE, "1");
            }
            k.put(KubernetesSetting.PROMETHEUS, prometheus.url());
            config = KubernetesConfig.from(k, dir);
            d = new EnumMap<>(DeploySetting.class);
            d.put(DeploySetting.HEALTH_INTERVAL, "20ms");
            d.put(DeploySetting.HEALTH_TIMEOUT, "20s");
            d.put(DeploySetting.STRATEGY, strategy);
            d.put(DeploySetting.CANARY_STEPS, "10, 50, 100");
            d.put(DeploySetting.CANARY_STEP_DURATION, "1s");
            d.put(DeploySetting.CANARY_PROGRESS_DEADLINE, "5s");
            d.put(DeploySetting.ANALYSIS_MIN_REQUESTS, "50");
            d.put(DeploySetting.BLUEGREEN_WATCH, "0s");
            deploy = DeployConfig.from(d, dir);
            if (gateway) {
                // createOr: a POST the client retried after a time-out under load must not fail on its own first attempt
                client.resources(HTTPRoute.class).inNamespace(ns).resource(route()).createOr(io.fabric8.kubernetes.client.dsl.NonDeletingOperation::update);
            }
        }

        /** deploy.notify: every event to {@code url}. */
        void notify(String url) {
            d.put(DeploySetting.NOTIFY, "[{\"url\": \"" + url + "\"}]");
            deploy = DeployConfig.from(d, dir);
        }

        KubernetesDeployer deployer(String who) {
            return new KubernetesDeployer(client, config, deploy, null, clock, who);
        }

        String jobName(String release) {
            return new SlotManifests(config, client.getKubernetesSerialization()).jobName(release);
        }

        HTTPRoute readRoute() {
            return client.resources(HTTPRoute.class).inNamespace(ns).withName("shop").get();
        }

        List<Integer> weights() {
            return readRoute().getSpec().getRules().get(1).getBackendRefs().stream().map(HTTPBackendRef::getWeight).toList();
        }

        Deployment deployment(String slot) {
            return client.apps().deployments().inNamespace(ns).withName("shop-" + slot).get();
        }

        @Override
        public void close() throws InterruptedException {
            controller.close();
        }
    }

    /** Rule 0 belongs to someone else (another service, a header match, a filter); rule 1 carries our weights. */
    private static HTTPRoute route() {
        return new HTTPRouteBuilder().withNewMetadata().withName("shop").endMetadata()
                .withNewSpec().addNewParentRef().withName("gateway").withSectionName("https").endParentRef()
                .addNewRule().addNewMatch().addNewHeader().withName("x-team").withValue("search").endHeader().endMatch()
                .addNewFilter().withType("RequestHeaderModifier").withNewRequestHeaderModifier().addNewSet().withName("x-via")
                .withValue("gw").endSet().endRequestHeaderModifier().endFilter()
                .addNewBackendRef().withName("search").withPort(9000).withWeight(3).endBackendRef().endRule()
                .addNewRule().addNewMatch().withNewPath().withType("PathPrefix").withValue("/").endPath().endMatch()
                .addNewBackendRef().withName("shop-blue").withPort(8080).withWeight(1).endBackendRef()
                .addNewBackendRef().withName("shop-green").withPort(8080).withWeight(0).endBackendRef().endRule()
                .endSpec().build();
    }

    /** A client of the mock server whose calls {@code meter} counts. */
    private static KubernetesClient counted(ApiCallMeter meter) {
        return meter.on(new io.fabric8.kubernetes.client.KubernetesClientBuilder().withConfig(client.getConfiguration())).build();
    }

    private static PerformRequest release(String r) {
        return new PerformRequest(r, null, null, null, null, false, true, false, false);
    }

    /** With its migrations (run as a Job: the test controller runs the Job's pod), no backup. */
    private static PerformRequest migrating(String r) {
        return new PerformRequest(r, null, null, null, null, false, false, true, false);
    }

    private static RolloutRequest canary() {
        return new RolloutRequest(Strategy.CANARY, null);
    }

    @Test
    void firstPerformThenBlueGreenThenRollbackAndCleanupLeaveTheOtherRuleAsItWas() throws Exception {
        try (Cluster c = new Cluster(true, "bluegreen")) {
            HTTPRoute before = c.readRoute();
            ApiCallMeter meter = new ApiCallMeter();
            Figures figures = new Figures(meter);
            try (KubernetesClient counted = counted(meter);
                 KubernetesDeployer d = new KubernetesDeployer(counted, c.config, c.deploy, null, c.clock, "alice@laptop")) {
                figures.start();
                PerformResult first = d.perform(release("v1"), RolloutRequest.CONFIGURED);
                figures.print("first perform");
                assertThat(first.slot()).isEqualTo("blue");
                assertThat(first.switched()).isTrue();
                assertThat(c.weights()).containsExactly(100, 0);
                Deployment blue = c.deployment("blue");
                assertThat(blue.getMetadata().getLabels()).containsEntry("app", "shop").containsEntry("switchback.dev/slot", "blue")
                        .containsEntry("switchback.dev/release", "v1").containsEntry("team", "web");
                assertThat(blue.getSpec().getTemplate().getSpec().getContainers().get(0).getImage()).isEqualTo("registry.example/shop:v1");
                assertThat(client.services().inNamespace(c.ns).withName("shop-blue").get().getSpec().getSelector())
                        .containsEntry("switchback.dev/slot", "blue");

                figures.start();
                PerformResult second = d.perform(release("v2"), RolloutRequest.CONFIGURED);
                figures.print("blue-green perform");
                assertThat(second.slot()).isEqualTo("green");
                assertThat(second.previousWarm()).isTrue();
                assertThat(c.weights()).containsExactly(0, 100);
                assertThat(c.deployment("blue").getSpec().getReplicas()).isEqualTo(2);

                assertThat(d.rollback()).isEqualTo("v1");
                assertThat(c.weights()).containsExactly(100, 0);
                assertThat(d.cleanup()).isEqualTo("v2");
                assertThat(c.deployment("green").getSpec().getReplicas()).isZero();
            }
            HTTPRoute after = c.readRoute();
            assertThat(after.getSpec().getRules().get(0)).isEqualTo(before.getSpec().getRules().get(0));
            assertThat(after.getSpec().getParentRefs()).isEqualTo(before.getSpec().getParentRefs());
            assertThat(after.getSpec().getRules().get(1).getMatches()).isEqualTo(before.getSpec().getRules().get(1).getMatches());
            assertThat(after.getSpec().getHostnames()).isEqualTo(before.getSpec().getHostnames());

            // a second operator, another client: the same status from the cluster alone
            try (KubernetesClient other = server.createClient(); KubernetesDeployer d2 = new KubernetesDeployer(other, c.config, c.deploy,
                    null, c.clock, "bob@desktop")) {
                KubernetesDeployer.Status s = d2.status();
                assertThat(s.active()).isEqualTo("blue");
                assertThat(s.slots().get(dev.switchback.deploy.Slot.BLUE).release()).isEqualTo("v1");
                assertThat(s.slots().get(dev.switchback.deploy.Slot.GREEN).state()).isEqualTo("stopped");
                assertThat(s.history()).extracting(e -> e.action() + " " + e.release() + " " + e.outcome())
                        .containsExactly("perform v1 success", "perform v2 success", "rollback v1 success", "cleanup v2 success");
            }
        }
    }

    @Test
    void canaryStepsThroughTheRouteWeightsAndPromotesOnAPassingAnalysis() throws Exception {
        try (Cluster c = new Cluster(true, "canary")) {
            ApiCallMeter meter = new ApiCallMeter();
            Figures figures = new Figures(meter);
            try (KubernetesClient counted = counted(meter);
                 KubernetesDeployer d = new KubernetesDeployer(counted, c.config, c.deploy, null, c.clock, "alice@laptop")) {
                d.perform(release("v1"), RolloutRequest.CONFIGURED);
                prometheus.set("blue", 0, 0, 0.02);
                prometheus.set("green", 0, 0, 0.02);
                figures.start();
                PerformResult r = d.perform(release("v2"), canary());
                figures.print("canary perform (to the first step)");
                assertThat(r.next()).isEqualTo("switchback upgrade promote");
                assertThat(c.weights()).containsExactly(90, 10);
                assertThat(c.deployment("green").getMetadata().getAnnotations()).containsEntry("switchback.dev/state", "canary");
                long served = 0;
                int ticks = 0;
                while (d.live() && ticks++ < 20) {
                    served += 400;
                    prometheus.set("blue", served, 1, 0.02);
                    prometheus.set("green", served, 1, 0.02);
                    c.clock.advance(Duration.ofMillis(1100));
                    int before = d.rollout().weight();
                    figures.start();
                    d.tick();
                    figures.print(d.rollout().weight() == before ? "canary look" : "canary look that moves a step");
                    if (d.rollout().weight() == 50) {
                        assertThat(c.weights()).containsExactly(50, 50);
                    }
                }
                Rollout end = d.rollout();
                assertThat(end.state()).isEqualTo(RolloutState.PROMOTED);
                assertThat(end.verdicts()).anyMatch(v -> v.weight() == 50);
                assertThat(c.weights()).containsExactly(0, 100);
                assertThat(d.status().active()).isEqualTo("green");
                assertThat(c.deployment("blue").getMetadata().getAnnotations()).containsEntry("switchback.dev/state", "standby");
            }
            prometheus.clear();
        }
    }

    @Test
    void aFailingAnalysisSendsEveryRequestBackToStableAndStopsTheCanary() throws Exception {
        try (Cluster c = new Cluster(true, "canary"); KubernetesDeployer d = c.deployer("alice@laptop")) {
            d.perform(release("v1"), RolloutRequest.CONFIGURED);
            prometheus.set("blue", 0, 0, 0.02);
            prometheus.set("green", 0, 0, 0.02);
            d.perform(release("v2"), canary());
            prometheus.set("blue", 500, 1, 0.02);
            prometheus.set("green", 500, 150, 0.02);
            c.clock.advance(Duration.ofSeconds(1));
            Rollout r = d.tick();
            assertThat(r.state()).isEqualTo(RolloutState.ROLLED_BACK);
            assertThat(r.reason()).contains("back on v1");
            assertThat(c.weights()).containsExactly(100, 0);
            assertThat(c.deployment("green").getSpec().getReplicas()).isZero();
            assertThat(c.deployment("green").getMetadata().getAnnotations()).containsEntry("switchback.dev/state", "failed");
            assertThat(d.status().history()).extracting(e -> e.action() + " " + e.outcome()).contains("canary rolled back");
            prometheus.clear();
        }
    }

    @Test
    void aMissingMetricIsNeverAPass() throws Exception {
        try (Cluster c = new Cluster(true, "canary"); KubernetesDeployer d = c.deployer("alice@laptop")) {
            d.perform(release("v1"), RolloutRequest.CONFIGURED);
            d.perform(release("v2"), canary());
            for (int i = 0; i < 8; i++) {
                c.clock.advance(Duration.ofSeconds(1));
                d.tick();
            }
            Rollout r = d.rollout();
            assertThat(r.weight()).isEqualTo(10);
            assertThat(r.state()).isEqualTo(RolloutState.PAUSED);
            assertThat(r.reason()).contains("no verdict");
            assertThat(c.weights()).containsExactly(90, 10);
            d.abort();
            assertThat(c.weights()).containsExactly(100, 0);
        }
    }

    @Test
    void aSecondPerformIsRefusedByTheLeaseWhileACanaryRuns() throws Exception {
        try (Cluster c = new Cluster(true, "canary"); KubernetesDeployer alice = c.deployer("alice@laptop")) {
            alice.perform(release("v1"), RolloutRequest.CONFIGURED);
            alice.perform(release("v2"), canary());
            try (KubernetesClient other = server.createClient(); KubernetesDeployer bob = new KubernetesDeployer(other, c.config, c.deploy,
                    null, c.clock, "bob@desktop")) {
                assertThatThrownBy(() -> bob.perform(release("v3"), RolloutRequest.CONFIGURED))
                        .isInstanceOf(SwitchbackException.class).hasMessageContaining("alice@laptop is running a rollout of shop")
                        .satisfies(e -> assertThat(((SwitchbackException) e).code()).isEqualTo(ErrorCode.LOCK_TIMEOUT));
                assertThat(bob.status().rollout().weight()).isEqualTo(10);
            }
            alice.abort();
        }
    }

    @Test
    void aPerformWaitingForItsMigrationJobRenewsTheLeaseSoAnotherPerformIsStillRefused() throws Exception {
        try (Cluster c = new Cluster(true, "bluegreen", "job"); KubernetesDeployer alice = c.deployer("alice@laptop")) {
            CountDownLatch migrated = new CountDownLatch(1);
            CompletableFuture<PerformResult> v2 = v2WaitingForItsJob(c, alice, migrated);
            // two minutes pass while the Job runs, 40 s at a time: alice renews at her next look at the Job
            for (int i = 0; i < 3; i++) {
                c.clock.advance(Duration.ofSeconds(40));
                assertThat(leaseRenewedAt(c, c.clock.instant())).as("renewed after %d s", 40 * (i + 1)).isTrue();
            }
            try (KubernetesClient other = server.createClient(); KubernetesDeployer bob = new KubernetesDeployer(other, c.config, c.deploy,
                    null, c.clock, "bob@desktop")) {
                assertThatThrownBy(() -> bob.perform(release("v3"), RolloutRequest.CONFIGURED))
                        .hasMessageContaining("alice@laptop is running a rollout of shop");
            }
            migrated.countDown();
            assertThat(v2.get(30, TimeUnit.SECONDS).switched()).isTrue();
            assertThat(c.weights()).containsExactly(0, 100);
        }
    }

    @Test
    void aPerformWhoseLeaseWasTakenWhileItWaitedStopsWithoutApplyingTheSlot() throws Exception {
        try (Cluster c = new Cluster(true, "bluegreen", "job"); KubernetesDeployer alice = c.deployer("alice@laptop")) {
            CountDownLatch migrated = new CountDownLatch(1);
            CompletableFuture<PerformResult> v2 = v2WaitingForItsJob(c, alice, migrated);
            var leases = client.leases().inNamespace(c.ns).withName("shop-switchback");
            for (int i = 0; i < 1500 && client.batch().v1().jobs().inNamespace(c.ns).list().getItems().isEmpty(); i++) {
                Thread.sleep(10);
            }
            // bob took it over, as he may once alice's lapsed
            io.fabric8.kubernetes.api.model.coordination.v1.Lease l = leases.get();
            l.getSpec().setHolderIdentity("bob@desktop");
            l.getSpec().setRenewTime(java.time.ZonedDateTime.ofInstant(c.clock.instant(), ZoneOffset.UTC));
            client.leases().inNamespace(c.ns).resource(l).update();
            migrated.countDown();
            assertThatThrownBy(() -> v2.get(30, TimeUnit.SECONDS)).cause().isInstanceOf(SwitchbackException.class)
                    .hasMessageContaining("Upgrade to v2 stopped before green was touched; traffic stays on v1")
                    .hasMessageContaining("alice@laptop lost the rollout's Lease " + c.ns + "/shop-switchback")
                    .hasMessageContaining("held by bob@desktop");
            assertThat(c.deployment("green")).isNull();
            assertThat(c.weights()).containsExactly(100, 0);
            assertThat(leases.get().getSpec().getHolderIdentity()).isEqualTo("bob@desktop");
        }
    }

    /** v1 performed, then v2 started (in the background) with its migration Job running until {@code migrated}. */
    private static CompletableFuture<PerformResult> v2WaitingForItsJob(Cluster c, KubernetesDeployer d, CountDownLatch migrated) {
        d.perform(release("v1"), RolloutRequest.CONFIGURED);
        c.controller.jobs(container -> {
            await(migrated);
            return TestController.SUCCEEDS.run(container);
        });
        return CompletableFuture.supplyAsync(() -> d.perform(migrating("v2"), RolloutRequest.CONFIGURED));
    }

    /** Waits (bounded) for the lease's renewTime to reach {@code at}. */
    private static boolean leaseRenewedAt(Cluster c, Instant at) throws InterruptedException {
        for (int i = 0; i < 1500; i++) {
            var l = client.leases().inNamespace(c.ns).withName("shop-switchback").get();
            if (l != null && l.getSpec().getRenewTime() != null && !l.getSpec().getRenewTime().toInstant().isBefore(at)) {
                return true;
            }
            Thread.sleep(10);
        }
        return false;
    }

    /** A Job's pod runs until {@code done} (bounded). */
    private static void await(CountDownLatch done) {
        try {
            if (!done.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the test never let the Job finish");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aCrashLoopingReleaseFailsTheGateAtOnceWithItsEvents() throws Exception {
        try (Cluster c = new Cluster(true, "bluegreen"); KubernetesDeployer d = c.deployer("alice@laptop")) {
            d.perform(release("v1"), RolloutRequest.CONFIGURED);
            c.controller.mode("v2", TestController.Mode.CRASH_LOOP);
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> d.perform(release("v2"), RolloutRequest.CONFIGURED))
                    .hasMessageContaining("CrashLoopBackOff").hasMessageContaining("Back-off restarting failed container app")
                    .hasMessageContaining("fatal: cannot reach the database")
                    .hasMessageContaining("traffic stays on v1");
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(15));
            c.controller.mode("v3", TestController.Mode.PROGRESS_DEADLINE);
            assertThatThrownBy(() -> d.perform(release("v3"), RolloutRequest.CONFIGURED)).hasMessageContaining("ProgressDeadlineExceeded");
            assertThat(c.weights()).containsExactly(100, 0);
            assertThat(d.status().active()).isEqualTo("blue");
        }
    }

    @Test
    void withoutAGatewayBlueGreenSwitchesAServiceSelectorAndACanaryIsRefused() throws Exception {
        try (Cluster c = new Cluster(false, "bluegreen"); KubernetesDeployer d = c.deployer("alice@laptop")) {
            d.perform(release("v1"), RolloutRequest.CONFIGURED);
            assertThat(client.services().inNamespace(c.ns).withName("shop").get().getSpec().getSelector())
                    .containsEntry("switchback.dev/slot", "blue");
            d.perform(release("v2"), RolloutRequest.CONFIGURED);
            assertThat(client.services().inNamespace(c.ns).withName("shop").get().getSpec().getSelector())
                    .containsEntry("switchback.dev/slot", "green");
            assertThatThrownBy(() -> d.perform(release("v3"), canary())).hasMessageContaining("blue-green only");
        }
    }

    @Test
    void migrationsAsAJobFromTheReleasesImageWithTheTemplatesEnvThenThePerformGoesOn() throws Exception {
        ApiCallMeter meter = new ApiCallMeter();
        Figures figures = new Figures(meter);
        try (Cluster c = new Cluster(true, "bluegreen", "job"); KubernetesClient counted = counted(meter);
             KubernetesDeployer d = new KubernetesDeployer(counted, c.config, c.deploy, null, c.clock, "alice@laptop")) {
            List<io.fabric8.kubernetes.api.model.Container> ran = new java.util.concurrent.CopyOnWriteArrayList<>();
            c.controller.jobs(container -> {
                ran.add(container);
                return TestController.SUCCEEDS.run(container);
            });
            PerformResult r = d.perform(migrating("v1"), RolloutRequest.CONFIGURED);
            assertThat(r.switched()).isTrue();
            assertThat(ran).hasSize(1);
            io.fabric8.kubernetes.api.model.Container m = ran.get(0);
            assertThat(m.getImage()).isEqualTo("registry.example/shop:v1");
            assertThat(m.getCommand()).containsExactly("switchback", "migrate", "--no-backup");
            assertThat(m.getEnv()).singleElement().satisfies(e -> {
                assertThat(e.getName()).isEqualTo("SWITCHBACK_DATABASE_URL");
                assertThat(e.getValueFrom().getSecretKeyRef().getName()).isEqualTo("shop-db");
            });
            assertThat(m.getReadinessProbe()).isNull();
            assertThat(m.getPorts()).isEmpty();
            io.fabric8.kubernetes.api.model.batch.v1.Job job = client.batch().v1().jobs().inNamespace(c.ns).withName(c.jobName("v1")).get();
            assertThat(job.getSpec().getBackoffLimit()).isZero();
            assertThat(job.getSpec().getTemplate().getSpec().getServiceAccountName()).isEqualTo("shop");
            assertThat(job.getSpec().getTemplate().getMetadata().getLabels()).doesNotContainKey("app");

            figures.start();
            d.perform(migrating("v2"), RolloutRequest.CONFIGURED);
            figures.print("blue-green perform, migrations as a Job");
            assertThat(ran).hasSize(2);
            assertThat(c.weights()).containsExactly(0, 100);

            // the same release again: its Job is replaced and runs again
            String uid = client.batch().v1().jobs().inNamespace(c.ns).withName(c.jobName("v2")).get().getMetadata().getUid();
            d.perform(migrating("v2"), RolloutRequest.CONFIGURED);
            assertThat(ran).hasSize(3);
            assertThat(client.batch().v1().jobs().inNamespace(c.ns).withName(c.jobName("v2")).get().getMetadata().getUid()).isNotEqualTo(uid);
        }
    }

    @Test
    void aRunningMigrationJobIsNeverReplacedAndAStalePodOfItsNameIsNotTakenForTheNewOnes() throws Exception {
        try (Cluster c = new Cluster(true, "bluegreen", "job"); KubernetesDeployer d = c.deployer("alice@laptop")) {
            assertThat(List.of("v1.2", "v1_2", "V1-2").stream().map(c::jobName).distinct()).hasSize(3)
                    .allSatisfy(n -> assertThat(n).matches("shop-migrate-v1-2-[0-9a-f]{8}"));
            assertThat(c.jobName("x".repeat(100))).hasSize(63).matches("[a-z0-9-]+[0-9a-f]");
            d.perform(migrating("v1"), RolloutRequest.CONFIGURED);
            // an interrupted perform of v2 left its Job running
            CountDownLatch migrated = new CountDownLatch(1);
            c.controller.jobs(container -> {
                await(migrated);
                return TestController.SUCCEEDS.run(container);
            });
            SlotManifests manifests = new SlotManifests(c.config, client.getKubernetesSerialization());
            var job = client.batch().v1().jobs().inNamespace(c.ns);
            String running = job.resource(manifests.migrationJob("v2", List.of())).create().getMetadata().getUid();
            String name = c.jobName("v2");
            assertThatThrownBy(() -> d.perform(migrating("v2"), RolloutRequest.CONFIGURED))
                    .hasMessageContaining("Migration Job " + c.ns + "/" + name + " of release v2 is still running")
                    .hasMessageContaining("`kubectl delete job " + name + " -n " + c.ns + "`");
            assertThat(job.withName(name).get().getMetadata().getUid()).isEqualTo(running);
            assertThat(c.weights()).containsExactly(100, 0);
            migrated.countDown();
            for (int i = 0; i < 1500 && job.withName(name).get().getStatus() == null; i++) {
                Thread.sleep(10);
            }
            // a pod of an earlier run of the Job, left behind in ImagePullBackOff
            client.pods().inNamespace(c.ns).resource(new io.fabric8.kubernetes.api.model.PodBuilder().withNewMetadata()
                    .withName(name + "-old").addToLabels("job-name", name).endMetadata().withNewStatus().withPhase("Pending")
                    .addNewContainerStatus().withName("migrate").withNewState().withNewWaiting().withReason("ImagePullBackOff")
                    .withMessage("Back-off pulling image").endWaiting().endState().endContainerStatus().endStatus().build()).create();
            assertThat(d.perform(migrating("v2"), RolloutRequest.CONFIGURED).switched()).isTrue();
            assertThat(job.withName(name).get().getMetadata().getUid()).isNotEqualTo(running);
        }
    }

    @Test
    void aFailedMigrationJobFailsThePerformWithItsLogAndExitCodeAndSwitchesNothing() throws Exception {
        try (Cluster c = new Cluster(true, "bluegreen", "job"); KubernetesDeployer d = c.deployer("alice@laptop")) {
            d.perform(migrating("v1"), RolloutRequest.CONFIGURED);
            c.controller.jobs(container -> new TestController.Run(ErrorCode.VERIFICATION.exitCode(),
                    "Migration 002 was edited after it was applied (checksum differs)"));
            assertThatThrownBy(() -> d.perform(migrating("v2"), RolloutRequest.CONFIGURED))
                    .isInstanceOf(SwitchbackException.class)
                    .hasMessageContaining("stopped at migrate; traffic stays on v1")
                    .hasMessageContaining("Migration Job " + c.ns + "/" + c.jobName("v2") + " failed")
                    .hasMessageContaining("BackoffLimitExceeded")
                    .hasMessageContaining("Migration 002 was edited after it was applied")
                    .satisfies(e -> assertThat(((SwitchbackException) e).code()).isEqualTo(ErrorCode.VERIFICATION));
            assertThat(c.weights()).containsExactly(100, 0);
            assertThat(c.deployment("green")).isNull();
            assertThat(d.status().history()).extracting(e -> e.action() + " " + e.release() + " " + e.outcome())
                    .containsExactly("perform v1 success", "perform v2 migrate failed");
        }
    }

    @Test
    void switchRollbackAFailedPerformAndACanaryAreNotifiedAsOnOneHost() throws Exception {
        List<String> events = new java.util.concurrent.CopyOnWriteArrayList<>();
        com.sun.net.httpserver.HttpServer hook = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
        hook.createContext("/hook", ex -> {
            events.add(new String(ex.getRequestBody().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        hook.start();
        try (Cluster c = new Cluster(true, "bluegreen")) {
            c.notify("http://127.0.0.1:" + hook.getAddress().getPort() + "/hook");
            try (KubernetesDeployer d = c.deployer("alice@laptop")) {
                d.perform(release("v1"), RolloutRequest.CONFIGURED);
                d.perform(release("v2"), RolloutRequest.CONFIGURED);
                assertThat(d.switchTraffic(dev.switchback.deploy.Slot.BLUE, false)).isEqualTo("v1");
                assertThat(c.weights()).containsExactly(100, 0);
                assertThatThrownBy(() -> d.switchTraffic(dev.switchback.deploy.Slot.BLUE, false)).hasMessageContaining("already active");
                assertThat(d.rollback()).isEqualTo("v2");
                assertThat(c.weights()).containsExactly(0, 100);
                c.controller.mode("v3", TestController.Mode.CRASH_LOOP);
                assertThatThrownBy(() -> d.perform(release("v3"), RolloutRequest.CONFIGURED)).hasMessageContaining("CrashLoopBackOff");
                prometheus.set("green", 0, 0, 0.02);
                prometheus.set("blue", 0, 0, 0.02);
                d.perform(release("v4"), canary());
                prometheus.set("green", 500, 1, 0.02);
                prometheus.set("blue", 500, 150, 0.02);
                c.clock.advance(Duration.ofSeconds(1));
                assertThat(d.tick().state()).isEqualTo(RolloutState.ROLLED_BACK);
                assertThatThrownBy(() -> d.switchTraffic(dev.switchback.deploy.Slot.BLUE, false)).hasMessageContaining("No ready release in blue");
            }
            // close() waited for the webhooks
            assertThat(events).anySatisfy(e -> assertThat(e).contains("\"switched\"").contains("\"v1\"").contains("\"blue\""))
                    .anySatisfy(e -> assertThat(e).contains("\"rolled-back\"").contains("\"v2\""))
                    .anySatisfy(e -> assertThat(e).contains("\"perform-failed\"").contains("\"v3\"").contains("unhealthy"))
                    .anySatisfy(e -> assertThat(e).contains("\"rollout-started\"").contains("\"v4\""))
                    .anySatisfy(e -> assertThat(e).contains("\"rolled-back\"").contains("\"v4\""));
            prometheus.clear();
        } finally {
            hook.stop(0);
        }
    }

    @Test
    void serveRefusedTheLeaseResumesNothingAndKeepsItsDeployer() throws Exception {
        try (Cluster c = new Cluster(true, "canary"); KubernetesDeployer alice = c.deployer("alice@laptop")) {
            alice.perform(release("v1"), RolloutRequest.CONFIGURED);
            prometheus.set("blue", 0, 0, 0.02);
            prometheus.set("green", 0, 0, 0.02);
            alice.perform(release("v2"), canary());
            String recorded = client.configMaps().inNamespace(c.ns).withName("shop-switchback").get().getData().get("rollout");
            AtomicInteger built = new AtomicInteger();
            try (ClusterDriver serve = new ClusterDriver(client, c.config, () -> {
                built.incrementAndGet();
                return new KubernetesDeployer(client, c.config, c.deploy, null, c.clock, "serve@shop-switchback-7d9f");
            })) {
                for (int pass = 0; pass < 3; pass++) {
                    c.clock.advance(Duration.ofSeconds(5));
                    assertThat(serve.pass()).isNull();
                }
            }
            assertThat(built).hasValue(1);
            assertThat(c.weights()).containsExactly(90, 10);
            assertThat(client.configMaps().inNamespace(c.ns).withName("shop-switchback").get().getData().get("rollout")).isEqualTo(recorded);
            alice.abort();
            prometheus.clear();
        }
    }

    @Test
    void serveInTheClusterDrivesADetachedCanaryToPromotionAndStandsAsideWhileACliFollowsIt() throws Exception {
        try (Cluster c = new Cluster(true, "canary")) {
            try (KubernetesDeployer alice = c.deployer("alice@laptop")) {
                alice.perform(release("v1"), RolloutRequest.CONFIGURED);
                prometheus.set("blue", 0, 0, 0.02);
                prometheus.set("green", 0, 0, 0.02);
                alice.perform(release("v2"), canary());
            }
            // the CLI went away (--detach): the canary waits at its first step
            assertThat(c.weights()).containsExactly(90, 10);
            RequestLog calls = new RequestLog();
            ApiCallMeter meter = new ApiCallMeter();
            Figures figures = new Figures(meter);
            try (KubernetesClient pod = calls.on(new io.fabric8.kubernetes.client.KubernetesClientBuilder()
                    .withConfig(client.getConfiguration()), meter).build();
                 ClusterDriver serve = new ClusterDriver(pod, c.config,
                         () -> new KubernetesDeployer(pod, c.config, c.deploy, null, c.clock, "serve@shop-switchback-7d9f"))) {
                long served = 0;
                for (int pass = 0; pass < 20 && c.weights().get(1) < 50; pass++) {
                    served += 400;
                    prometheus.set("blue", served, 1, 0.02);
                    prometheus.set("green", served, 1, 0.02);
                    c.clock.advance(Duration.ofMillis(1100));
                    int before = c.weights().get(1);
                    figures.start();
                    serve.pass();
                    figures.print(c.weights().get(1) == before ? "serve pass" : "serve pass that moves a step");
                }
                assertThat(c.weights()).containsExactly(50, 50);

                try (KubernetesDeployer bob = c.deployer("bob@desktop")) {
                    bob.tick();
                    // bob follows the canary himself: he holds the lease, serve stands aside
                    c.clock.advance(Duration.ofMillis(1100));
                    assertThat(serve.pass()).isNull();
                    assertThat(client.leases().inNamespace(c.ns).withName("shop-switchback").get().getSpec().getHolderIdentity())
                            .isEqualTo("bob@desktop");
                }
                for (int pass = 0; pass < 30 && c.weights().get(1) < 100; pass++) {
                    served += 400;
                    prometheus.set("blue", served, 1, 0.02);
                    prometheus.set("green", served, 1, 0.02);
                    c.clock.advance(Duration.ofMillis(1100));
                    serve.pass();
                }
                assertThat(serve.pass()).isNull();
            }
            assertThat(c.weights()).containsExactly(0, 100);
            try (KubernetesDeployer d = c.deployer("carol@laptop")) {
                KubernetesDeployer.Status s = d.status();
                assertThat(s.active()).isEqualTo("green");
                assertThat(s.rollout().state()).isEqualTo(RolloutState.PROMOTED);
                assertThat(s.history()).extracting(e -> e.action() + " " + e.release() + " " + e.outcome()).contains("promote v2 success");
            }
            // the Role `k8s render --serve` prints allows every call the serve process made
            List<io.fabric8.kubernetes.api.model.rbac.PolicyRule> rules = ServeManifests.rules(c.config);
            assertThat(calls.calls()).isNotEmpty().allSatisfy(call -> assertThat(call.allowedBy(rules)).as(call.toString()).isTrue());
            prometheus.clear();
        }
    }
}

package dev.switchback.kubernetes;

import dev.switchback.deploy.DeployConfig;
import dev.switchback.deploy.DeploySetting;
import dev.switchback.deploy.PerformRequest;
import dev.switchback.deploy.rollout.RolloutRequest;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.EnumMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Opt-in, against a real cluster (kind, k3s): {@code mvn -pl switchback-kubernetes -am verify -Preal-cluster} with the
 * kubeconfig kubectl uses and {@code SWITCHBACK_K8S_NAMESPACE} naming an existing, empty namespace. Not run by CI: its
 * name matches none of failsafe's default patterns, only the profile's: blue-green by a Service selector between two nginx
 * releases, the cluster's own controllers and readiness, then a rollback; prints the API calls and wall times.
 */
class RealClusterCheck {
    @TempDir
    Path dir;

    @Test
    void blueGreenOnARealCluster() throws Exception {
        String ns = System.getenv().getOrDefault("SWITCHBACK_K8S_NAMESPACE", "switchback-test");
        Files.writeString(dir.resolve("deployment.yaml"), """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web}
                spec:
                  replicas: 1
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web}}
                    spec:
                      containers:
                      - name: web
                        image: nginxinc/nginx-unprivileged:${RELEASE}
                        ports: [{containerPort: 8080}]
                        readinessProbe: {httpGet: {path: /, port: 8080}, periodSeconds: 1}
                """);
        Map<KubernetesSetting, String> k = new EnumMap<>(KubernetesSetting.class);
        k.put(KubernetesSetting.NAMESPACE, ns);
        k.put(KubernetesSetting.NAME, "web");
        k.put(KubernetesSetting.DEPLOYMENT, "deployment.yaml");
        Map<DeploySetting, String> d = new EnumMap<>(DeploySetting.class);
        d.put(DeploySetting.HEALTH_INTERVAL, "500ms");
        d.put(DeploySetting.HEALTH_TIMEOUT, "180s");
        d.put(DeploySetting.BLUEGREEN_WATCH, "0s");
        ApiCallMeter meter = new ApiCallMeter();
        Figures figures = new Figures(meter);
        try (KubernetesClient client = meter.on(new KubernetesClientBuilder()).build();
             KubernetesDeployer deployer = new KubernetesDeployer(client, KubernetesConfig.from(k, dir), DeployConfig.from(d, dir),
                     null, Clock.systemUTC(), "real-cluster-it")) {
            for (String release : new String[]{"1.27-alpine", "1.28-alpine"}) {
                figures.start();
                deployer.perform(new PerformRequest(release, null, null, null, null, false, true, false, false), RolloutRequest.CONFIGURED);
                figures.print("real cluster perform " + release);
            }
            assertThat(deployer.status().active()).isEqualTo("green");
            assertThat(deployer.rollback()).isEqualTo("1.27-alpine");
            assertThat(client.services().inNamespace(ns).withName("web").get().getSpec().getSelector())
                    .containsEntry("switchback.dev/slot", "blue");
        }
    }
}

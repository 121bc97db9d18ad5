package dev.switchback.cli;

import dev.switchback.kubernetes.ApiCallMeter;
import dev.switchback.kubernetes.ClusterDriver;
import dev.switchback.kubernetes.KubernetesConfig;
import dev.switchback.migration.SwitchbackException;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code serve} with {@code deploy.runtime: kubernetes}, as it runs in the cluster ({@code k8s render --serve}): no
 * router or admin API, one {@link ClusterDriver} pass a second until the process is told to stop.
 */
final class KubernetesServe {
    private static final Logger log = LoggerFactory.getLogger(KubernetesServe.class);
    private static final long PASS_EVERY_MS = 1000;

    private KubernetesServe() {
    }

    static int run(SwitchbackCommand root) throws InterruptedException {
        KubernetesConfig k = KubernetesConfig.from(root.kubernetesSettings(), root.baseDir());
        CountDownLatch stop = new CountDownLatch(1);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stop.countDown();
            try {
                // the pass under way ends (and lets the lease go) before the process does
                stopped.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "switchback-shutdown"));
        ApiCallMeter meter = new ApiCallMeter();
        try (KubernetesClient client = KubernetesUpgrade.client(meter);
             ClusterDriver driver = new ClusterDriver(client, k, () -> KubernetesUpgrade.deployer(root, client))) {
            System.out.println("switchback serve: driving the rollouts of " + k.name() + " in namespace "
                    + (k.namespace() == null ? client.getNamespace() : k.namespace()) + " (one look a second; SIGTERM stops it)");
            do {
                try {
                    driver.pass();
                } catch (KubernetesClientException | SwitchbackException e) {
                    log.warn("A look at the rollout failed; the next one tries again: {}", e.getMessage());
                }
            } while (!stop.await(PASS_EVERY_MS, TimeUnit.MILLISECONDS));
            log.info("serve stops after {} API calls", meter.calls());
        } finally {
            stopped.countDown();
        }
        return 0;
    }
}

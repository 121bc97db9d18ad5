package dev.switchback.kubernetes;

import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ApiCallMeterTest {
    @Test
    void theStartOfACallThatGotNoResponseIsDroppedOnceStale() throws Exception {
        int port;
        // a port that was free a moment ago: nothing listens there, every connection is refused
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        AtomicLong ticker = new AtomicLong();
        ApiCallMeter meter = new ApiCallMeter(ticker::get);
        try (KubernetesClient client = meter.on(new KubernetesClientBuilder().withConfig(new ConfigBuilder()
                .withMasterUrl("http://127.0.0.1:" + port).withRequestRetryBackoffLimit(0).withNamespace("shop").build())).build()) {
            for (int i = 0; i < 3; i++) {
                assertThatThrownBy(() -> client.configMaps().withName("shop-switchback").get()).isInstanceOf(KubernetesClientException.class);
            }
            assertThat(meter.inFlight()).isEqualTo(3);
            ticker.addAndGet(Duration.ofMinutes(6).toNanos());
            assertThatThrownBy(() -> client.configMaps().withName("shop-switchback").get()).isInstanceOf(KubernetesClientException.class);
        }
        assertThat(meter.calls()).isEqualTo(4);
        // the three older starts are gone: only the last failed call's is left, until it goes stale in turn
        assertThat(meter.inFlight()).isEqualTo(1);
        assertThat(meter.apiNanos()).isZero();
    }
}

package dev.switchback.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static dev.switchback.cli.Cli.ok;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code deploy.analysis.prometheus} against a real Prometheus server (the Debian package) scraping the daemon's own
 * /metrics every second. The judge's own limits are set loose, so that only the external metric can fail the canary:
 * a release failing 5% of its requests is rolled back because Prometheus sees its 500s.
 */
@Isolated
class PrometheusCanaryIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void aCanaryIsRolledBackWhenTheExternalMetricIsAboveItsMax() throws Exception {
        int prometheusPort = DaemonFixture.freePort();
        try (DaemonFixture d = new DaemonFixture(tmp, 5, "")) {
            Path yml = tmp.resolve("switchback.yml");
            Files.writeString(yml, Files.readString(yml).replace("  service:\n", String.join("\n",
                    "  canary: {steps: [20, 100], stepDuration: 30s}",
                    "  analysis:",
                    "    maxErrorRate: 50%",
                    "    abortErrorRate: 90%",
                    "    interval: 2s",
                    "    prometheus:",
                    "      url: http://127.0.0.1:" + prometheusPort,
                    "      query: 'sum(increase(switchback_router_requests_total{slot=\"{{slot}}\",status=\"500\"}[10s]))'",
                    "      max: 1",
                    "  service:", "")));
            Files.writeString(tmp.resolve("prometheus.yml"), String.join("\n",
                    "global: {scrape_interval: 1s, evaluation_interval: 1s}",
                    "scrape_configs:",
                    "  - job_name: switchback",
                    "    static_configs: [{targets: ['127.0.0.1:" + d.adminPort + "']}]", ""));
            Process prometheus = new ProcessBuilder("prometheus", "--config.file=" + tmp.resolve("prometheus.yml"),
                    "--storage.tsdb.path=" + tmp.resolve("tsdb"), "--web.listen-address=127.0.0.1:" + prometheusPort)
                    .redirectErrorStream(true).redirectOutput(tmp.resolve("prometheus.log").toFile()).start();
            try {
                d.start();
                ok(d.cli("upgrade", "perform", "--release", "v1"));
                LoadGenerator load = new LoadGenerator(d.routerPort, 6, Duration.ofMinutes(2));
                Cli.Result r = d.cli("upgrade", "perform", "--release", "v1-errors5", "--skip-migrations", "--strategy", "canary");
                load.stop();

                assertThat(r.exit()).as(r.describe() + "\nprometheus:\n" + Files.readString(tmp.resolve("prometheus.log"))).isEqualTo(4);
                JsonNode rollout = JSON.readTree(ok(d.cli("upgrade", "status", "--json")).out()).path("rollout");
                assertThat(rollout.path("state").asText()).isEqualTo("rolled_back");
                assertThat(rollout.path("reason").asText()).contains("deploy.analysis.prometheus").contains("above its max 1.0");
                assertThat(rollout.path("verdicts").findValuesAsText("cause")).contains("external");
            } finally {
                prometheus.destroy();
                if (!prometheus.waitFor(10, TimeUnit.SECONDS)) {
                    prometheus.destroyForcibly();
                }
            }
        }
    }
}

package dev.switchback.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.switchback.cli.Cli.ok;
import static dev.switchback.cli.DaemonFixture.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rolling strategy with a real daemon, three shop instances and a critical shell worker on 127.0.0.1, under 20
 * clients. One daemon for the story: an update, one whose second new instance never becomes healthy, one interrupted by
 * a daemon SIGKILL, and the rollback after it.
 */
@Isolated
class RollingIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int CLIENTS = 20;

    @TempDir
    Path tmp;

    @Test
    void instancesAreReplacedABatchAtATimeWithoutAFailedRequestAndRolledBackOrFinishedAfterAFailureOrACrash() throws Exception {
        // a short warm-up and interval: each batch waits for its judgement (RollingTest), and the updates without
        // traffic below wait the warm-up plus an interval per batch before going on unjudged
        try (DaemonFixture d = new DaemonFixture(tmp, 5, "").withDeploy(
                "analysis: {warmup: 2s, interval: 2s}",
                "workers:",
                "  queue:",
                "    command: [sh, worker.sh]",
                "    critical: true",
                "    healthCheck: {command: \"test -f hb-$RELEASE-$SWITCHBACK_INSTANCE && echo healthy $RELEASE >> events\"}",
                "    stopTimeout: 5s")) {
            Path yml = d.dir.resolve("switchback.yml");
            Files.writeString(yml, Files.readString(yml).replace("  service:\n", "  service:\n    replicas: 3\n")
                    .replace("timeout: 60s,", "timeout: 20s,")
                    // instance 1 of release half-bad never answers its health check
                    .replace("bad-health) export SHOP_FAIL=unhealthy;;", "bad-health) export SHOP_FAIL=unhealthy;; half-bad) "
                            + "[ \"$SWITCHBACK_INSTANCE\" = 1 ] && export SHOP_FAIL=unhealthy;;"));
            Files.writeString(d.dir.resolve("worker.sh"), String.join("\n",
                    "echo \"start $RELEASE $SWITCHBACK_SLOT $$\" >> events",
                    "trap 'rm -f hb-$RELEASE-$SWITCHBACK_INSTANCE; echo \"stop $RELEASE $$\" >> events; exit 0' TERM",
                    "while [ ! -f stop-all ]; do echo $$ > hb-$RELEASE-$SWITCHBACK_INSTANCE; sleep 0.2; done", ""));
            d.start();
            try {
                ok(d.cli("upgrade", "perform", "--release", "v1"));
                assertThat(web(status(d), "blue")).hasSize(3);

                // v1 -> v2 under 20 clients: nothing fails, never fewer than 3 healthy instances, v1 or v2 then only v2
                Sampler sampler = new Sampler(d);
                LoadGenerator load = new LoadGenerator(d.routerPort, CLIENTS, Duration.ofSeconds(240));
                Cli.Result rolled = d.cli("upgrade", "perform", "--release", "v2", "--strategy", "rolling");
                long ended = System.nanoTime();
                Thread.sleep(1000);
                List<LoadGenerator.Sample> samples = load.stop();
                sampler.stop();
                assertThat(rolled.exit()).as(rolled.describe()).isZero();
                assertThat(rolled.out()).contains("Rolling update").contains("3 of 3 web instance(s) run v2");
                assertThat(LoadGenerator.failures(samples)).as("failed requests").isEmpty();
                assertThat(samples.size()).isGreaterThan(200);
                assertThat(samples).extracting(LoadGenerator.Sample::release).containsOnly("v1", "v2");
                assertThat(samples.stream().filter(s -> s.start() > ended).map(LoadGenerator.Sample::release)).isNotEmpty()
                        .containsOnly("v2");
                assertThat(sampler.fewest()).as("fewest healthy web instances sampled (%d samples)", sampler.count()).isGreaterThanOrEqualTo(3);
                JsonNode st = status(d);
                assertThat(st.path("active").asText()).isEqualTo("green");
                assertThat(web(st, "green")).hasSize(3).allSatisfy(p -> assertThat(p.path("health").asText()).isEqualTo("healthy"));
                assertThat(web(st, "blue")).isEmpty();
                assertThat(worker(st, "green")).isNotNull();
                assertThat(worker(st, "blue")).isNull();
                // the critical worker was replaced after every web instance
                List<String> steps = steps(st.path("rollout"));
                assertThat(steps.indexOf("critical worker queue#0 runs v2 and is healthy"))
                        .isGreaterThan(steps.indexOf("3 of 3 web instance(s) run v2 and serve"));

                // the second new instance never becomes healthy: the first goes back to v2, exit 4, nothing fails
                load = new LoadGenerator(d.routerPort, CLIENTS, Duration.ofSeconds(240));
                Cli.Result failed = d.cli("upgrade", "perform", "--release", "half-bad", "--skip-migrations", "--strategy", "rolling");
                Thread.sleep(500);
                samples = load.stop();
                assertThat(failed.exit()).as(failed.describe()).isEqualTo(4);
                assertThat(failed.out() + failed.err()).contains("rolled back").contains("did not become healthy");
                assertThat(LoadGenerator.failures(samples)).as("failed requests").isEmpty();
                assertThat(samples).extracting(LoadGenerator.Sample::release).contains("half-bad").containsOnly("v2", "half-bad");
                st = status(d);
                assertThat(st.path("active").asText()).isEqualTo("green");
                assertThat(web(st, "green")).hasSize(3);
                assertThat(web(st, "blue")).isEmpty();

                // a daemon SIGKILLed in the middle: the new one adopts both releases' instances and finishes, none twice
                ok(d.cli("upgrade", "perform", "--release", "v3", "--strategy", "rolling", "--detach"));
                waitFor(() -> d.status().path("rollout").path("weight").asInt() >= 33, 120, "one instance replaced");
                d.kill();
                d.start();
                waitFor(() -> !d.status().path("rollout").path("state").asText().matches("running|rolling_back"), 180,
                        "the rolling update ended after the restart");
                st = status(d);
                assertThat(st.path("rollout").path("state").asText()).as(st.path("rollout").toString()).isEqualTo("promoted");
                assertThat(web(st, "blue")).hasSize(3);
                assertThat(web(st, "green")).isEmpty();
                assertThat(d.shopProcesses()).as("no instance runs twice").hasSize(3);

                // no warm slot is left: rollback rolls back instance by instance, and says so
                Cli.Result back = d.cli("upgrade", "rollback");
                assertThat(back.exit()).as(back.describe()).isZero();
                assertThat(back.out()).contains("no warm slot");
                waitFor(() -> d.status().path("rollout").path("state").asText().equals("promoted")
                        && d.status().path("rollout").path("release").asText().equals("v2"), 180, "rolled back to v2");
                assertThat(web(status(d), "green")).hasSize(3);
                assertThat(d.shopProcesses()).hasSize(3);
            } finally {
                Files.writeString(d.dir.resolve("stop-all"), "");
            }
        }
    }

    /** Counts the healthy web instances of both slots every 200 ms through the admin API; keeps the fewest seen. */
    private static final class Sampler {
        private final AtomicInteger fewest = new AtomicInteger(Integer.MAX_VALUE);
        private final AtomicInteger count = new AtomicInteger();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread;

        Sampler(DaemonFixture d) {
            thread = new Thread(() -> {
                while (running.get()) {
                    try {
                        JsonNode st = JSON.readTree(d.get(d.adminPort, "/api/deployments/status").body());
                        int healthy = 0;
                        for (String slot : List.of("blue", "green")) {
                            for (JsonNode p : web(st, slot)) {
                                healthy += p.path("health").asText().equals("healthy") ? 1 : 0;
                            }
                        }
                        fewest.accumulateAndGet(healthy, Math::min);
                        count.incrementAndGet();
                        Thread.sleep(200);
                    } catch (InterruptedException e) {
                        return;
                    } catch (Exception e) {
                        fewest.set(-1);
                    }
                }
            });
            thread.start();
        }

        void stop() throws InterruptedException {
            running.set(false);
            thread.join(30_000);
        }

        int fewest() {
            return fewest.get();
        }

        int count() {
            return count.get();
        }
    }

    private static List<String> steps(JsonNode rollout) {
        List<String> out = new ArrayList<>();
        rollout.path("verdicts").forEach(v -> {
            if (v.path("verdict").asText().equals("step")) {
                out.add(v.path("reason").asText());
            }
        });
        return out;
    }

    private static JsonNode status(DaemonFixture d) throws Exception {
        return JSON.readTree(ok(d.cli("upgrade", "status", "--json")).out());
    }

    private static List<JsonNode> web(JsonNode status, String slot) {
        return DaemonFixture.running(status, slot, "web");
    }

    private static JsonNode worker(JsonNode status, String slot) {
        List<JsonNode> queue = DaemonFixture.running(status, slot, "queue");
        return queue.isEmpty() ? null : queue.get(0);
    }
}

package dev.switchback.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static dev.switchback.cli.Cli.ok;
import static dev.switchback.cli.DaemonFixture.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * deploy.workers with a real daemon, the shop as web process and a shell worker writing a heartbeat file and an events
 * file (start, stop, and each passing health check) in the service's directory. One daemon for the whole story.
 */
class WorkersIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void aWorkerRunsWithItsReleaseIsRestartedReplacedAfterTheNewOneIsHealthyAdoptedStartedAgainOnRollbackAndFollowsAFailover() throws Exception {
        try (DaemonFixture d = new DaemonFixture(tmp, 5, "").withDeploy(
                "workers:",
                "  queue:",
                "    command: [sh, worker.sh]",
                "    env: {QUEUE: orders}",
                "    healthCheck: {command: \"test ! -f broken-$RELEASE && test -f hb-$RELEASE-$SWITCHBACK_INSTANCE && echo healthy $RELEASE >> events\"}",
                "    stopTimeout: 5s")) {
            Files.writeString(d.dir.resolve("worker.sh"), String.join("\n",
                    "echo \"start $RELEASE $SWITCHBACK_SLOT $SWITCHBACK_INSTANCE $QUEUE $$\" >> events",
                    "trap 'rm -f hb-$RELEASE-$SWITCHBACK_INSTANCE; echo \"stop $RELEASE $$\" >> events; exit 0' TERM",
                    "while [ ! -f stop-all ]; do echo $$ > hb-$RELEASE-$SWITCHBACK_INSTANCE; sleep 0.2; done", ""));
            d.start();
            try {
                ok(d.cli("upgrade", "perform", "--release", "v1"));
                JsonNode queue = worker(status(d), "blue");
                long v1 = queue.path("pid").asLong();
                assertThat(queue.path("state").asText()).isEqualTo("running");
                assertThat(queue.path("health").asText()).isEqualTo("healthy");
                assertThat(events(d)).contains("start v1 blue 0 orders " + v1);
                String text = ok(d.cli("upgrade", "status")).out();
                assertThat(text).contains("Process").contains("Restarts").containsPattern("blue +web +0 +\\d+")
                        .containsPattern("blue +queue +0 +" + v1 + " +\\d+ +running +healthy +0");

                // a worker that exits is started again (RestartBackoff: the first restart after 1 s)
                ProcessHandle.of(v1).orElseThrow().destroyForcibly();
                waitFor(() -> worker(d.status(), "blue").path("pid").asLong() != v1
                        && worker(d.status(), "blue").path("state").asText().equals("running"), 30, "the killed worker restarted");
                JsonNode restarted = worker(status(d), "blue");
                assertThat(restarted.path("restarts").asInt()).isEqualTo(1);
                long v1Again = restarted.path("pid").asLong();

                // v2: its worker starts after its web process is healthy; v1's stops only after v2's is healthy (overlap: false)
                ok(d.cli("upgrade", "perform", "--release", "v2"));
                JsonNode st = status(d);
                assertThat(st.path("active").asText()).isEqualTo("green");
                long v2 = worker(st, "green").path("pid").asLong();
                assertThat(worker(st, "blue")).as("v1's worker stopped, its web process stays warm").isNull();
                assertThat(ProcessHandle.of(v1Again).map(ProcessHandle::isAlive).orElse(false)).isFalse();
                List<String> ev = events(d);
                assertThat(ev.indexOf("healthy v2")).as("v2's worker healthy before v1's stops: " + ev).isGreaterThanOrEqualTo(0)
                        .isLessThan(ev.indexOf("stop v1 " + v1Again));

                // a daemon killed and started again adopts the running worker: same pid, never started twice
                d.kill();
                d.start();
                waitFor(() -> worker(d.status(), "green") != null, 30, "status after the restart");
                assertThat(worker(status(d), "green").path("pid").asLong()).isEqualTo(v2);
                assertThat(events(d).stream().filter(l -> l.startsWith("start v2 ")).count()).isEqualTo(1);

                // rollback: v1's worker starts again in blue, v2's stops
                ok(d.cli("upgrade", "rollback"));
                st = status(d);
                assertThat(st.path("active").asText()).isEqualTo("blue");
                long v1Back = worker(st, "blue").path("pid").asLong();
                assertThat(worker(st, "green")).isNull();
                assertThat(events(d)).contains("start v1 blue 0 orders " + v1Back, "stop v2 " + v2);

                // a worker that never becomes healthy fails the perform: traffic, v1 and its worker as they were
                Files.writeString(d.dir.resolve("broken-v2"), "");
                Cli.Result failed = d.cli("upgrade", "perform", "--release", "v2", "--timeout", "8");
                assertThat(failed.exit()).as(failed.describe()).isEqualTo(4);
                assertThat(failed.err() + failed.out()).contains("worker").contains("queue#0");
                st = status(d);
                assertThat(st.path("active").asText()).isEqualTo("blue");
                assertThat(worker(st, "blue").path("pid").asLong()).isEqualTo(v1Back);
                assertThat(worker(st, "green")).isNull();
                assertThat(d.get(d.routerPort, "/").headers().firstValue("X-Slot")).contains("blue");

                // v2 is warm in green again (the failed perform put it back): a failover to it hands the workers over
                Files.delete(d.dir.resolve("broken-v2"));
                ProcessHandle.of(st.path("slots").path("blue").path("pid").asLong()).orElseThrow().destroyForcibly();
                waitFor(() -> {
                    JsonNode now = d.status();
                    return now.path("active").asText().equals("green") && worker(now, "blue") == null && worker(now, "green") != null
                            && worker(now, "green").path("health").asText().equals("healthy");
                }, 60, "after the failover v2's worker runs in green and v1's is stopped");
                assertThat(events(d)).contains("stop v1 " + v1Back);
            } finally {
                Files.writeString(d.dir.resolve("stop-all"), "");
            }
        }
    }

    private static JsonNode status(DaemonFixture d) throws Exception {
        return JSON.readTree(ok(d.cli("upgrade", "status", "--json")).out());
    }

    /** The slot's queue worker in status, or null when it has none. */
    private static JsonNode worker(JsonNode status, String slot) {
        for (JsonNode p : status.path("slots").path(slot).path("processes")) {
            if (p.path("name").asText().equals("queue")) {
                return p;
            }
        }
        return null;
    }

    private static List<String> events(DaemonFixture d) throws Exception {
        Path f = d.dir.resolve("events");
        return Files.exists(f) ? Files.readAllLines(f) : List.of();
    }
}

package dev.switchback.deploy.workers;

import dev.switchback.deploy.DeployConfig;
import dev.switchback.deploy.DeploySetting;
import dev.switchback.deploy.Slot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** WorkerSet with real processes: an HTTP health check on each instance's own PORT, "still running", an exit during the gate. */
class WorkerSetIT {
    @TempDir
    Path tmp;

    @Test
    void httpAndStillRunningWorkersPassTheirGateEachInstanceOnItsOwnPortAndStopWithTheirGroup() throws Exception {
        Files.writeString(tmp.resolve("Beat.java"), """
                import com.sun.net.httpserver.HttpServer;
                import java.net.InetSocketAddress;
                public class Beat {
                    public static void main(String[] a) throws Exception {
                        HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", Integer.parseInt(System.getenv("PORT"))), 0);
                        String me = System.getenv("RELEASE") + " " + System.getenv("SWITCHBACK_SLOT") + " "
                                + System.getenv("SWITCHBACK_INSTANCE") + " " + System.getenv("QUEUE");
                        s.createContext("/ready", x -> { byte[] b = me.getBytes(); x.sendResponseHeaders(200, b.length);
                                x.getResponseBody().write(b); x.close(); });
                        s.start();
                    }
                }
                """);
        WorkerSet set = new WorkerSet(config("""
                {"beat": {"command": ["java", "-XX:TieredStopAtLevel=1", "Beat.java"], "replicas": 2, "env": {"QUEUE": "orders"},
                          "healthCheck": {"http": "/ready"}},
                 "idle": {"command": "sleep 60 & sleep 60", "startPeriod": "300ms", "stopTimeout": "2s"}}"""), tmp.resolve("workers.json"));
        try {
            assertThat(set.startAndGate(Slot.BLUE, "r1", Duration.ofSeconds(60))).isNull();
            List<ProcessView> view = set.view(Slot.BLUE);
            assertThat(view).extracting(v -> v.name() + "#" + v.instance() + " " + v.state() + " " + v.health())
                    .containsExactly("beat#0 running healthy", "beat#1 running healthy", "idle#0 running healthy");
            assertThat(view.get(0).port()).isNotEqualTo(view.get(1).port());
            HttpClient http = HttpClient.newHttpClient();
            for (ProcessView v : view.subList(0, 2)) {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + v.port() + "/ready")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(r.body()).isEqualTo("r1 blue " + v.instance() + " orders");
            }
            List<ProcessHandle> idleGroup = ProcessHandle.of(view.get(2).pid()).orElseThrow().descendants().toList();
            assertThat(idleGroup).as("the backgrounded sleep").isNotEmpty();

            set.stop(Slot.BLUE);
            for (ProcessView v : view) {
                assertThat(new dev.switchback.deploy.ReleaseProcess(v.pid(), null).alive()).isFalse();
            }
            // ReleaseProcess.alive: an orphan the container's init has not reaped yet is a zombie, not running
            assertThat(idleGroup).as("the whole process group is stopped")
                    .noneMatch(h -> new dev.switchback.deploy.ReleaseProcess(h.pid(), null).alive());
            assertThat(set.view(Slot.BLUE)).isEmpty();
        } finally {
            set.stop(Slot.BLUE);
        }
    }

    @Test
    void aWorkerThatExitsDuringItsGateFailsItWithItsLastLinesAndNothingIsLeftRunning() {
        WorkerSet set = new WorkerSet(config("""
                {"crash": {"command": "echo cannot reach the queue; exit 3", "healthCheck": {"command": "false"}}}"""),
                tmp.resolve("workers.json"));
        String reason = set.startAndGate(Slot.GREEN, "r2", Duration.ofSeconds(30));
        assertThat(reason).contains("worker crash#0 of r2 exited before becoming healthy").contains("cannot reach the queue");
        assertThat(set.view(Slot.GREEN)).isEmpty();
    }

    @Test
    void aWorkerThatStopsPassingItsCheckIsStoppedAndRestartedAndOneThatExitsIsRestarted() throws Exception {
        Files.writeString(tmp.resolve("ok-0"), "");
        WorkerSet set = new WorkerSet(DeployConfig.from(Map.of(DeploySetting.WORKERS, """
                {"loop": {"command": "while true; do sleep 0.1; done", "healthCheck": {"command": "test -f ok-$SWITCHBACK_INSTANCE"},
                          "stopTimeout": "1s"}}""", DeploySetting.LIVE_INTERVAL, "200ms", DeploySetting.UNHEALTHY_THRESHOLD, "2"), tmp),
                tmp.resolve("workers.json"));
        try {
            set.adopt(null);
            assertThat(set.startAndGate(Slot.BLUE, "r1", Duration.ofSeconds(30))).isNull();
            long first = set.view(Slot.BLUE).get(0).pid();
            Files.delete(tmp.resolve("ok-0"));
            ProcessView restarted = awaitRestart(set, first);
            assertThat(restarted.restarts()).isEqualTo(1);

            Files.writeString(tmp.resolve("ok-0"), "");
            ProcessHandle.of(restarted.pid()).orElseThrow().destroyForcibly();
            assertThat(awaitRestart(set, restarted.pid()).restarts()).isEqualTo(2);
        } finally {
            set.close();
            set.stop(Slot.BLUE);
        }
    }

    @Test
    void aStandbyPutBackGetsItsOverlappingWorkersOnlyAndStopReplacedKeepsThem() {
        WorkerSet set = new WorkerSet(config("""
                {"mirror": {"command": "exec sleep 60", "startPeriod": "100ms", "overlap": true},
                 "queue": {"command": "exec sleep 60", "startPeriod": "100ms"}}"""), tmp.resolve("workers.json"));
        try {
            assertThat(set.startOverlapping(Slot.GREEN, "r1", Duration.ofSeconds(30))).isNull();
            assertThat(set.view(Slot.GREEN)).extracting(ProcessView::name).containsExactly("mirror");
            assertThat(set.startAndGate(Slot.GREEN, "r1", Duration.ofSeconds(30))).isNull();
            long mirror = set.view(Slot.GREEN).get(0).pid();
            assertThat(set.view(Slot.GREEN)).extracting(ProcessView::name).containsExactly("mirror", "queue");
            set.stopReplaced(Slot.GREEN);
            assertThat(set.view(Slot.GREEN)).extracting(v -> v.name() + " " + v.pid()).containsExactly("mirror " + mirror);
        } finally {
            set.stop(Slot.GREEN);
        }
    }

    /**
     * A web replica leaves the router's pool at its first failed liveness check, not when the threshold stops it, and
     * rejoins when a check passes; one adopted in the slot a rolling update gates waits for a passing check to serve.
     */
    @Test
    void aWebReplicaServesOnlyWhileItsLastCheckPassedAndOneAdoptedInARollingUpdatesSlotWaitsForOne() throws Exception {
        Files.writeString(tmp.resolve("Ready.java"), """
                import com.sun.net.httpserver.HttpServer;
                import java.net.InetSocketAddress;
                import java.nio.file.*;
                public class Ready {
                    public static void main(String[] a) throws Exception {
                        HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", Integer.parseInt(System.getenv("PORT"))), 0);
                        Path ok = Path.of("ok-" + System.getenv("SWITCHBACK_INSTANCE"));
                        s.createContext("/health/ready", x -> { x.sendResponseHeaders(Files.exists(ok) ? 200 : 503, -1); x.close(); });
                        s.start();
                    }
                }
                """);
        Files.writeString(tmp.resolve("ok-1"), "");
        DeployConfig config = DeployConfig.from(Map.of(DeploySetting.COMMAND, "java -XX:TieredStopAtLevel=1 Ready.java",
                DeploySetting.REPLICAS, "2", DeploySetting.LIVE_INTERVAL, "300ms", DeploySetting.UNHEALTHY_THRESHOLD, "1000"), tmp);
        WorkerSet set = new WorkerSet(config, tmp.resolve("workers.json"));
        WorkerSet adopting = new WorkerSet(config, tmp.resolve("workers.json"));
        try {
            set.adopt(null);
            assertThat(set.startAndGate(Slot.BLUE, "r1", Duration.ofSeconds(60))).isNull();
            int port = set.view(Slot.BLUE).get(0).port();
            assertThat(set.servingPorts(Slot.BLUE)).containsExactly(port);

            Files.delete(tmp.resolve("ok-1"));
            awaitServing(set, List.of());
            Files.writeString(tmp.resolve("ok-1"), "");
            awaitServing(set, List.of(port));
            set.close();

            adopting.adopt(Slot.BLUE);
            assertThat(adopting.servingPorts(Slot.BLUE)).as("adopted in the middle of a rolling update's gate").isEmpty();
            awaitServing(adopting, List.of(port));
        } finally {
            adopting.close();
            set.close();
            set.stop(Slot.BLUE);
        }
    }

    private static void awaitServing(WorkerSet set, List<Integer> ports) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!set.servingPorts(Slot.BLUE).equals(ports) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(set.servingPorts(Slot.BLUE)).isEqualTo(ports);
    }

    /** The instance running after {@code pid} was replaced (the first restart comes 1 s after the exit, the second 2 s). */
    private static ProcessView awaitRestart(WorkerSet set, long pid) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            List<ProcessView> v = set.view(Slot.BLUE);
            if (v.size() == 1 && v.get(0).pid() != null && v.get(0).pid() != pid) {
                return v.get(0);
            }
            Thread.sleep(100);
        }
        throw new AssertionError("pid " + pid + " was not replaced within 30 s: " + set.view(Slot.BLUE));
    }

    private DeployConfig config(String workers) {
        return DeployConfig.from(Map.of(DeploySetting.WORKERS, workers), tmp);
    }
}

package dev.switchback.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static dev.switchback.cli.Cli.ok;
import static dev.switchback.cli.DaemonFixture.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * deploy.failover with a real daemon and real releases (examples/shop) on 127.0.0.1: a release killed with SIGKILL.
 * The bounds are generous (a loaded machine); scripts/bench-failover measures the real failover time.
 */
class FailoverIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void standbyTakesTrafficAtOnceAndTheDeadReleaseIsRestartedInItsSlotWhileWebhooksAreToldAndLogsFollow() throws Exception {
        BlockingQueue<String> delivered = new LinkedBlockingQueue<>();
        HttpServer hook = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        hook.createContext("/", ex -> {
            delivered.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        hook.start();
        // a webhook that accepts connections and never answers: it must delay nothing
        try (ServerSocket dead = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             DaemonFixture d = new DaemonFixture(tmp, 5, "").withDeploy(
                     "failover: standby",
                     "notify:",
                     "  - {url: 'http://127.0.0.1:" + dead.getLocalPort() + "/hooks/T0/dead-SECRET-path', format: slack}",
                     "  - {url: 'http://127.0.0.1:" + hook.getAddress().getPort() + "/hooks/live-SECRET-path', events: [failover],"
                             + " format: json}")) {
            Path yml = d.dir.resolve("switchback.yml");
            Files.writeString(yml, Files.readString(yml).replace("healthCheck: {", "healthCheck: {liveInterval: 500ms, "));
            d.start();
            ok(d.cli("upgrade", "perform", "--release", "v1"));
            ok(d.cli("upgrade", "perform", "--release", "v2"));
            long v2 = status(d).path("slots").path("green").path("pid").asLong();
            Cli.Running follow = Cli.start(d.dir, Map.of("SWITCHBACK_ADMIN_TOKEN", d.token), "-c", d.dir.resolve("switchback.yml").toString(),
                    "upgrade", "logs", "green", "-f", "--lines", "3", "--poll", "200ms");
            try {
                waitFor(() -> follow.stdoutSoFar().contains("pid " + v2 + "]"), 60, "logs -f prints v2's log:\n" + follow.stderrSoFar());
                LoadGenerator load = new LoadGenerator(d.routerPort, 4, Duration.ofSeconds(90));
                Thread.sleep(300);
                long killed = System.nanoTime();
                kill(v2);
                long backMs = -1;
                while (System.nanoTime() - killed < TimeUnit.SECONDS.toNanos(20)) {
                    HttpResponse<String> r = d.get(d.routerPort, "/");
                    if (r.statusCode() == 200 && r.headers().firstValue("X-Slot").orElse("").equals("blue")) {
                        backMs = (System.nanoTime() - killed) / 1_000_000;
                        break;
                    }
                    Thread.sleep(20);
                }
                System.out.printf("failover: first 200 from the standby %d ms after the kill%n", backMs);
                assertThat(backMs).as("traffic back on the warm standby (generous bound; the bench measures)").isBetween(0L, 10_000L);

                waitFor(() -> d.status().path("slots").path("green").path("state").asText().equals("standby"), 90,
                        "v2 restarted in green");
                JsonNode st = status(d);
                long restarted = st.path("slots").path("green").path("pid").asLong();
                assertThat(restarted).isNotEqualTo(v2);
                assertThat(st.path("active").asText()).as("traffic is not moved back by itself").isEqualTo("blue");
                assertThat(servedBy(d)).isEqualTo("blue");
                List<LoadGenerator.Sample> samples = load.stop();
                System.out.printf("failover under load: %d requests, %d failed%n", samples.size(), LoadGenerator.failures(samples).size());

                JsonNode failover = entry(st, "failover");
                assertThat(failover.path("outcome").asText()).isEqualTo("success");
                assertThat(failover.path("detail").asText()).contains("v2 in green (pid " + v2 + ")").contains("Last lines")
                        .contains("[shop v2/green pid " + v2 + "]");
                assertThat(d.log()).contains("traffic moved to v1 in blue").contains("Watching the active release every 500 ms");
                assertThat(d.get(d.adminPort, "/metrics").body()).containsPattern("switchback_failovers_total\\{action=\"standby\",?} 1\\.0");
                assertThat(entry(st, "restart").path("outcome").asText()).isEqualTo("success");

                // logs -f carried on across the restart: the new process's lines come after the old one's
                waitFor(() -> follow.stdoutSoFar().contains("pid " + restarted + "]"), 30, "logs -f follows the restarted v2");
                String followed = follow.stdoutSoFar();
                assertThat(followed.indexOf("pid " + restarted + "]")).isGreaterThan(followed.indexOf("pid " + v2 + "]"));

                String note = delivered.poll(30, TimeUnit.SECONDS);
                assertThat(note).as("the live webhook got the failover").isNotNull();
                JsonNode event = JSON.readTree(note);
                assertThat(event.path("event").asText()).isEqualTo("failover");
                assertThat(event.path("release").asText()).isEqualTo("v1");
                assertThat(event.path("details").path("died").asText()).isEqualTo("v2");
                assertThat(delivered.poll(1, TimeUnit.SECONDS)).as("only the events it asked for").isNull();

                // a release that hangs (SIGSTOP) runs but answers nothing: after unhealthyThreshold failed checks in a
                // row it is dead too, and traffic moves to the warm standby (the restarted v2)
                long v1 = st.path("slots").path("blue").path("pid").asLong();
                signal("STOP", v1);
                try {
                    waitFor(() -> d.status().path("active").asText().equals("green"), 60, "traffic moved off the hung v1");
                } finally {
                    signal("CONT", v1);
                }
                assertThat(entry(status(d), "failover").path("detail").asText())
                        .contains("v1 in blue (pid " + v1 + ") did not answer its health check 3 times in a row");
                assertThat(servedBy(d)).isEqualTo("green");
            } finally {
                follow.kill();
            }
            // the webhook URLs are secrets: in no log, state or snapshot the daemon wrote, nor in status
            assertThat(d.log()).doesNotContain("SECRET-path");
            assertThat(ok(d.cli("upgrade", "status", "--json")).out()).doesNotContain("SECRET-path");
            try (Stream<Path> files = Files.walk(d.dir.resolve(".switchback"))) {
                for (Path f : files.filter(Files::isRegularFile).filter(f -> !f.toString().endsWith(".db")).toList()) {
                    assertThat(Files.readString(f, StandardCharsets.ISO_8859_1)).as(f.toString()).doesNotContain("SECRET-path");
                }
            }
        } finally {
            hook.stop(0);
        }
    }

    @Test
    void withoutAStandbyTheReleaseIsRestartedInPlaceWithBackoffWhileRequestsGetRetryAfter() throws Exception {
        Path failures = tmp.resolve("start-failures");
        BlockingQueue<String> delivered = new LinkedBlockingQueue<>();
        HttpServer hook = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        hook.createContext("/", ex -> {
            delivered.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        hook.start();
        try (DaemonFixture d = new DaemonFixture(tmp, 5, "      SHOP_START_FAILURES: " + failures).withDeploy("notify:",
                "  - {url: 'http://127.0.0.1:" + hook.getAddress().getPort() + "/hook', events: [perform-failed], format: discord}")) {
            d.start();
            ok(d.cli("upgrade", "perform", "--release", "v1"));
            long v1 = status(d).path("slots").path("blue").path("pid").asLong();
            Files.writeString(failures, "1");
            kill(v1);
            HttpResponse<String> during = d.get(d.routerPort, "/");
            assertThat(during.statusCode()).isIn(502, 503);
            assertThat(during.headers().firstValue("Retry-After")).isPresent();

            waitFor(() -> d.status().path("slots").path("blue").path("state").asText().equals("active")
                    && d.status().path("slots").path("blue").path("pid").asLong() != v1, 120, "v1 restarted in place");
            assertThat(servedBy(d)).isEqualTo("blue");
            assertThat(Files.readString(failures).strip()).as("the start failure was used").isEqualTo("0");
            JsonNode st = status(d);
            assertThat(entry(st, "failover").path("outcome").asText()).isEqualTo("restarting");
            List<JsonNode> restarts = new ArrayList<>();
            List<JsonNode> history = new ArrayList<>();
            JSON.readTree(tmp.resolve(".switchback/deployments/history.json").toFile()).forEach(history::add);
            history.stream().filter(h -> h.path("action").asText().equals("restart")).forEach(restarts::add);
            assertThat(restarts).extracting(h -> h.path("outcome").asText()).containsExactly("failed", "success");
            assertThat(restarts.get(0).path("detail").asText()).contains("start failure asked for");
            // the second wait is twice the first: 1 s, then 2 s (the attempts themselves take time on top)
            Instant died = Instant.parse(entry(st, "failover").path("timestamp").asText());
            Instant first = Instant.parse(restarts.get(0).path("timestamp").asText());
            assertThat(Duration.between(died, first)).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
            assertThat(Duration.between(first, Instant.parse(restarts.get(1).path("timestamp").asText())))
                    .isGreaterThanOrEqualTo(Duration.ofSeconds(2));
            assertThat(d.log()).contains("Restarting v1 in blue in 1000 ms (restart 1)").contains("Restarting v1 in blue in 2000 ms (restart 2)");

            Cli.Result failed = d.cli("upgrade", "perform", "--release", "bad-exit", "--skip-migrations");
            assertThat(failed.exit()).as(failed.describe()).isEqualTo(4);
            String note = delivered.poll(30, TimeUnit.SECONDS);
            assertThat(note).as("perform-failed was sent").startsWith("{\"content\":\"switchback perform-failed bad-exit (green): unhealthy");
        } finally {
            hook.stop(0);
        }
    }

    @Test
    void restartPolicyRestartsInPlaceDespiteAWarmStandbyAndNoneDoesNothing() throws Exception {
        try (DaemonFixture d = new DaemonFixture(tmp, 5, "").withDeploy("failover: restart")) {
            d.start();
            ok(d.cli("upgrade", "perform", "--release", "v1"));
            ok(d.cli("upgrade", "perform", "--release", "v2"));
            long v2 = status(d).path("slots").path("green").path("pid").asLong();
            kill(v2);
            waitFor(() -> d.status().path("slots").path("green").path("state").asText().equals("active")
                    && d.status().path("slots").path("green").path("pid").asLong() != v2, 90, "v2 restarted in place");
            assertThat(servedBy(d)).as("the warm standby was not used").isEqualTo("green");
            assertThat(entry(status(d), "failover").path("to").asText()).isEqualTo("green");

            // status --watch, not on a terminal: plain lines, each with the time, a refresh per interval, then it ends
            try (LoadGenerator load = new LoadGenerator(d.routerPort, 2, Duration.ofSeconds(30))) {
                Cli.Result watch = ok(d.cli("upgrade", "status", "--watch", "--interval", "500ms", "--count", "2"));
                List<String> rows = watch.out().lines().filter(l -> l.matches("\\d\\d:\\d\\d:\\d\\d.*  green .*")).toList();
                assertThat(rows).as(watch.describe()).hasSize(2);
                assertThat(rows.get(1)).contains("v2").contains("active").contains("100%").matches(".* [1-9]\\d*\\.\\d +[0-9.]+% +[0-9.]+ ms");
                assertThat(watch.out()).doesNotContain("\u001b[");
            }

            d.kill();
            Path yml = d.dir.resolve("switchback.yml");
            Files.writeString(yml, Files.readString(yml).replace("failover: restart", "failover: none"));
            d.start();
            long again = status(d).path("slots").path("green").path("pid").asLong();
            kill(again);
            waitFor(() -> entry(d.status(), "exit") != null, 30, "the exit is recorded");
            JsonNode exit = entry(status(d), "exit");
            assertThat(exit.path("detail").asText()).contains("deploy.failover is none: nothing done").contains("Last lines");
            Thread.sleep(3000); // longer than the first restart's backoff would be
            JsonNode st = status(d);
            assertThat(st.path("active").asText()).isEqualTo("green");
            assertThat(st.path("slots").path("green").path("pid").isNull()).as("nothing restarted").isTrue();
            assertThat(d.get(d.routerPort, "/").statusCode()).isIn(502, 503);
        }
    }

    private static JsonNode status(DaemonFixture d) throws Exception {
        return JSON.readTree(ok(d.cli("upgrade", "status", "--json")).out());
    }

    /** The latest history entry with {@code action}, or null. */
    private static JsonNode entry(JsonNode status, String action) {
        JsonNode found = null;
        for (JsonNode h : status.path("history")) {
            if (h.path("action").asText().equals(action)) {
                found = h;
            }
        }
        return found;
    }

    private static String servedBy(DaemonFixture d) throws Exception {
        return d.get(d.routerPort, "/").headers().firstValue("X-Slot").orElse("none");
    }

    /** SIGSTOP/SIGCONT to a release this test's daemon started. */
    private static void signal(String sig, long pid) throws Exception {
        assertThat(new ProcessBuilder("kill", "-" + sig, String.valueOf(pid)).start().waitFor()).isZero();
    }

    /** SIGKILL to a release this test's daemon started (by the pid its status gave). */
    private static void kill(long pid) throws Exception {
        ProcessHandle h = ProcessHandle.of(pid).orElseThrow();
        h.destroyForcibly();
        h.onExit().get(10, TimeUnit.SECONDS);
    }
}

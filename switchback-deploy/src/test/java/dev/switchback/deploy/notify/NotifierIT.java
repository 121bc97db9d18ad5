package dev.switchback.deploy.notify;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The sender against real webhooks on 127.0.0.1: one that fails at first, one that never answers. */
class NotifierIT {
    @Test
    void aFailedPostIsTriedAgainAndADeadWebhookDelaysNothing() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        BlockingQueue<String> got = new LinkedBlockingQueue<>();
        HttpServer flaky = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        flaky.createContext("/", ex -> {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            if (calls.incrementAndGet() == 1) {
                ex.sendResponseHeaders(500, -1);
            } else {
                got.add(body);
                ex.sendResponseHeaders(200, -1);
            }
            ex.close();
        });
        flaky.start();
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             Notifier n = new Notifier(List.of(
                     new NotifyTarget(URI.create("http://127.0.0.1:" + silent.getLocalPort() + "/never"), EnumSet.noneOf(DeployEventType.class),
                             NotifyFormat.SLACK),
                     new NotifyTarget(URI.create("http://127.0.0.1:" + flaky.getAddress().getPort() + "/hook"),
                             EnumSet.of(DeployEventType.PERFORM_FAILED), NotifyFormat.DISCORD)),
                     Duration.ofSeconds(5), Duration.ofMillis(100))) {
            long t0 = System.nanoTime();
            for (int i = 0; i < 50; i++) {
                n.publish(DeployEvent.of(DeployEventType.PERFORM_FAILED, "v" + i, "green", "unhealthy"));
            }
            n.publish(DeployEvent.of(DeployEventType.SWITCHED, "v9", "blue", "not for the flaky one"));
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertThat(ms).as("publishing returns at once, whatever the webhooks do (generous bound)").isLessThan(2_000);
            // at least once: a POST answered after its timeout (a loaded machine) is sent again, so count distinct events
            Set<String> releases = new TreeSet<>();
            while (releases.size() < 50) {
                String body = got.poll(20, TimeUnit.SECONDS);
                assertThat(body).as("delivery %d", releases.size()).isNotNull().startsWith("{\"content\":\"switchback perform-failed v");
                releases.add(body.substring(0, body.indexOf(' ', "{\"content\":\"switchback perform-failed ".length())));
            }
            assertThat(calls.get()).as("the first POST failed and was tried again").isGreaterThanOrEqualTo(51);
            List<String> later = new java.util.ArrayList<>();
            for (String b; (b = got.poll(300, TimeUnit.MILLISECONDS)) != null; ) {
                later.add(b);
            }
            assertThat(later).as("only the events it asked for (repeats of them at most)")
                    .allSatisfy(b -> assertThat(b).startsWith("{\"content\":\"switchback perform-failed v"));
        } finally {
            flaky.stop(0);
        }
    }
}

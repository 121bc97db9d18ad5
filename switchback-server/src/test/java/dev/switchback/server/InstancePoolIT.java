package dev.switchback.server;

import com.sun.net.httpserver.HttpServer;
import dev.switchback.deploy.Slot;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The router balancing one slot over several instances (JDK HTTP servers on 127.0.0.1) by least outstanding requests. */
class InstancePoolIT {
    private static final List<HttpServer> instances = new ArrayList<>();
    private static Router router;
    private static int port;

    @BeforeAll
    static void start() throws Exception {
        for (int i = 0; i < 3; i++) {
            instances.add(instance("i" + i));
        }
        router = new Router(new Metrics(), 2);
        port = router.listen("127.0.0.1", 0).get(10, TimeUnit.SECONDS);
        router.route(Slot.BLUE, instances.get(0).getAddress().getPort());
        router.instances(Slot.BLUE, instances.stream().map(s -> s.getAddress().getPort()).toList());
    }

    @AfterAll
    static void stop() {
        router.close();
        instances.forEach(s -> s.stop(0));
    }

    /** An instance answering with its name; each request takes 2 ms, as a small piece of work would. */
    private static HttpServer instance(String name) throws IOException {
        HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 100);
        s.setExecutor(Executors.newFixedThreadPool(8));
        s.createContext("/", x -> {
            x.getRequestBody().readAllBytes();
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] body = name.getBytes(StandardCharsets.UTF_8);
            x.sendResponseHeaders(200, body.length);
            x.getResponseBody().write(body);
            x.close();
        });
        s.start();
        return s;
    }

    @Test
    void requestsSpreadEvenlyOverTheInstancesAndOneThatRefusesConnectionsCostsNoRequest() throws Exception {
        Map<String, AtomicInteger> served = load(8, 150);
        int total = served.values().stream().mapToInt(AtomicInteger::get).sum();
        assertThat(total).isEqualTo(8 * 150);
        for (String name : List.of("i0", "i1", "i2")) {
            assertThat(served.get(name).get()).as("requests to %s of %s: %s", name, total, served)
                    .isBetween((int) (total / 3.0 * 0.9), (int) Math.ceil(total / 3.0 * 1.1));
        }

        // an instance that dies while still listed: its refused connections go to the others, none fails
        instances.get(1).stop(0);
        Map<String, AtomicInteger> after = load(8, 50);
        assertThat(after.get("failed")).as("%s", after).isNull();
        assertThat(after.get("i1")).isNull();
        assertThat(after.get("i0").get() + after.get("i2").get()).isEqualTo(8 * 50);
    }

    /**
     * During a rolling update a request refused by an instance of the routed slot is retried on the joined slot's: the
     * slots' in-flight counts (what drains wait for) follow it, neither is left above or below zero afterwards.
     */
    @Test
    void aRequestMovedToTheJoinedSlotAfterARefusalLeavesBothSlotsInFlightCountsAtZero() throws Exception {
        List<Integer> dead = List.of(closedPort(), closedPort());
        Router pooled = new Router(new Metrics(), 1);
        try {
            int front = pooled.listen("127.0.0.1", 0).get(10, TimeUnit.SECONDS);
            pooled.route(Slot.BLUE, dead.get(0));
            pooled.instances(Slot.BLUE, dead);
            pooled.instances(Slot.GREEN, List.of(instances.get(0).getAddress().getPort()));
            pooled.join(Slot.GREEN);
            HttpClient http = HttpClient.newHttpClient();
            for (int i = 0; i < 20; i++) {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + front + "/"))
                        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(r.body()).isEqualTo("i0");
            }
            // the count is taken back on the router's event loop just after the response went out
            for (int i = 0; i < 500 && pooled.inFlight(Slot.BLUE) + Math.abs(pooled.inFlight(Slot.GREEN)) > 0; i++) {
                Thread.sleep(1);
            }
            assertThat(pooled.inFlight(Slot.BLUE)).as("the refusing slot").isZero();
            assertThat(pooled.inFlight(Slot.GREEN)).as("the slot that answered").isZero();
        } finally {
            pooled.close();
        }
    }

    /** A port nothing listens on: connections to it are refused. */
    private static int closedPort() throws IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** {@code clients} threads each sending {@code each} requests on keep-alive connections: who answered how often. */
    private static Map<String, AtomicInteger> load(int clients, int each) throws Exception {
        Map<String, AtomicInteger> served = new ConcurrentHashMap<>();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            Thread t = new Thread(() -> {
                HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
                for (int i = 0; i < each; i++) {
                    String who;
                    try {
                        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
                        who = r.statusCode() == 200 ? r.body() : "failed";
                    } catch (IOException | InterruptedException e) {
                        who = "failed";
                    }
                    served.computeIfAbsent(who, k -> new AtomicInteger()).incrementAndGet();
                }
            });
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            t.join(120_000);
        }
        return served;
    }
}

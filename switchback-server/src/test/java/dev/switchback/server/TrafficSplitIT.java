package dev.switchback.server;

import com.sun.net.httpserver.HttpServer;
import dev.switchback.deploy.Slot;
import dev.switchback.deploy.SlotTraffic;
import dev.switchback.deploy.Stickiness;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The router's traffic split against two real releases (JDK HTTP servers) on 127.0.0.1, through raw sockets. */
class TrafficSplitIT {
    private static HttpServer blue;
    private static HttpServer green;
    private static Router router;
    private static Metrics metrics;
    private static int port;
    private static volatile CountDownLatch hold = new CountDownLatch(0);
    /** The releases that got a {@code /hold} request, in order. */
    private static final BlockingQueue<String> holding = new LinkedBlockingQueue<>();

    @BeforeAll
    static void start() throws Exception {
        blue = release("blue");
        green = release("green");
        metrics = new Metrics();
        router = new Router(metrics, 2);
        port = router.listen("127.0.0.1", 0).get(10, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() {
        hold.countDown();
        router.close();
        blue.stop(0);
        green.stop(0);
    }

    @AfterEach
    void reset() {
        router.route(Slot.BLUE, blue.getAddress().getPort());
        router.split(null, null, 0, Stickiness.COOKIE, null);
    }

    /** A release answering with its name in {@code X-Slot}; {@code /hold} waits for the test's latch first. */
    private static HttpServer release(String name) throws IOException {
        HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 100);
        s.setExecutor(Executors.newCachedThreadPool());
        s.createContext("/", x -> {
            x.getRequestBody().readAllBytes();
            if (x.getRequestURI().getPath().equals("/hold")) {
                holding.add(name);
                try {
                    hold.await(20, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (x.getRequestURI().getPath().equals("/sleep100")) {
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            byte[] body = (name + "\n").getBytes(StandardCharsets.UTF_8);
            x.getResponseHeaders().set("X-Slot", name);
            x.sendResponseHeaders(x.getRequestURI().getPath().equals("/500") ? 500 : 200, body.length);
            try (OutputStream out = x.getResponseBody()) {
                out.write(body);
            }
        });
        s.start();
        return s;
    }

    private static void split(int weight, Stickiness sticky) {
        router.route(Slot.BLUE, blue.getAddress().getPort());
        router.split(Slot.GREEN, green.getAddress().getPort(), weight, sticky, "v2");
    }

    @Test
    void aTenPercentSplitSendsEachNewClientToTheCanaryWithinBinomialTolerance() throws Exception {
        split(10, Stickiness.COOKIE);
        int canary = 0;
        try (Client c = new Client()) {
            for (int i = 0; i < 2000; i++) {
                Reply r = c.get("/", "Host: x");
                assertThat(r.status).isEqualTo(200);
                // a client without the cookie is given the side it was sent to
                assertThat(r.setCookie).startsWith("switchback-rollout=" + (r.slot.equals("green") ? "canary" : "stable") + ".v2;");
                canary += r.slot.equals("green") ? 1 : 0;
            }
        }
        // binomial(2000, 0.1): mean 200, standard deviation 13.4; five of them either side
        assertThat(canary).isBetween(133, 267);
    }

    @Test
    void aWeightChangeTakesEffectOnTheNextRequestOfAKeepAliveConnection() throws Exception {
        try (Client c = new Client()) {
            for (int weight : new int[]{0, 100, 0, 100}) {
                split(weight, Stickiness.NONE);
                for (int i = 0; i < 20; i++) {
                    Reply r = c.get("/", "Host: x");
                    assertThat(r.slot).as("weight %d, request %d", weight, i).isEqualTo(weight == 100 ? "green" : "blue");
                    assertThat(r.setCookie).isNull();
                }
            }
            assertThat(c.connections()).as("one keep-alive connection throughout").isEqualTo(1);
        }
    }

    @Test
    void aRequestInFlightFinishesWhereItStartedAndTheNextGoesByTheNewWeight() throws Exception {
        split(0, Stickiness.NONE);
        hold = new CountDownLatch(1);
        try (Client c = new Client()) {
            holding.clear();
            c.send("/hold", "Host: x");
            assertThat(holding.poll(10, TimeUnit.SECONDS)).isEqualTo("blue");
            split(100, Stickiness.NONE);
            hold.countDown();
            assertThat(c.read().slot).isEqualTo("blue");
            assertThat(c.get("/", "Host: x").slot).isEqualTo("green");
            assertThat(c.connections()).isEqualTo(1);
        }
    }

    @Test
    void aCookieClientNeverChangesSideWhateverTheWeightUntilTheCanaryIsAborted() throws Exception {
        split(50, Stickiness.COOKIE);
        String canaryCookie = null;
        String stableCookie = null;
        try (Client c = new Client()) {
            while (canaryCookie == null || stableCookie == null) {
                Reply r = c.get("/", "Host: x");
                String cookie = r.setCookie.substring(0, r.setCookie.indexOf(';'));
                if (r.slot.equals("green")) {
                    canaryCookie = cookie;
                } else {
                    stableCookie = cookie;
                }
            }
            for (int weight : new int[]{1, 10, 50, 90, 99}) {
                split(weight, Stickiness.COOKIE);
                for (int i = 0; i < 30; i++) {
                    Reply canary = c.get("/", "Host: x", "Cookie: theme=dark; " + canaryCookie + "; lang=en");
                    Reply stable = c.get("/", "Host: x", "Cookie: " + stableCookie);
                    assertThat(canary.slot).as("canary client at weight %d", weight).isEqualTo("green");
                    assertThat(stable.slot).as("stable client at weight %d", weight).isEqualTo("blue");
                    assertThat(canary.setCookie).isNull();
                    assertThat(stable.setCookie).isNull();
                }
            }
            // another rollout's cookie means nothing here: the client is given a side of this one
            Reply other = c.get("/", "Host: x", "Cookie: switchback-rollout=canary.v1");
            assertThat(other.setCookie).startsWith("switchback-rollout=");
            assertThat(other.setCookie).contains(".v2;");
            // abort (weight 0): every request back on stable at once, cookie or not
            split(0, Stickiness.COOKIE);
            assertThat(c.get("/", "Host: x", "Cookie: " + canaryCookie).slot).isEqualTo("blue");
        }
    }

    @Test
    void aHeaderKeepsAUserOnOneSideAndTheWeightHoldsOverUsers() throws Exception {
        split(10, Stickiness.header("X-User"));
        int canaryUsers = 0;
        try (Client c = new Client()) {
            for (int user = 0; user < 1000; user++) {
                String first = c.get("/", "Host: x", "X-User: user-" + user).slot;
                for (int i = 0; i < 3; i++) {
                    assertThat(c.get("/", "Host: x", "X-User: user-" + user).slot).as("user %d", user).isEqualTo(first);
                }
                canaryUsers += first.equals("green") ? 1 : 0;
            }
        }
        // binomial(1000, 0.1) over users: mean 100, standard deviation 9.5
        assertThat(canaryUsers).isBetween(50, 150);
    }

    @Test
    void eachSlotCountsItsRequestsErrorsAndLatenciesTheRoutersOwn502Included() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        SlotTraffic blueBefore = router.traffic(Slot.BLUE);
        SlotTraffic greenBefore = router.traffic(Slot.GREEN);
        try (Client c = new Client()) {
            for (int i = 0; i < 20; i++) {
                assertThat(c.get("/", "Host: x").status).isEqualTo(200);
            }
            for (int i = 0; i < 5; i++) {
                assertThat(c.get("/500", "Host: x").status).isEqualTo(500);
                assertThat(c.get("/sleep100", "Host: x").status).isEqualTo(200);
            }
        }
        router.split(Slot.GREEN, closed, 100, Stickiness.NONE, "v2");
        for (int i = 0; i < 3; i++) {
            try (Client c = new Client()) {
                assertThat(c.get("/", "Host: x").status).isEqualTo(502); // and the router closes the connection
            }
        }
        SlotTraffic blueWindow = router.traffic(Slot.BLUE).minus(blueBefore);
        SlotTraffic greenWindow = router.traffic(Slot.GREEN).minus(greenBefore);
        assertThat(blueWindow.requests()).isEqualTo(30);
        assertThat(blueWindow.errors()).isEqualTo(5);
        // 5 of 30 took 100 ms: the 99th percentile is one of them
        assertThat(blueWindow.p99Millis()).isBetween(100.0, 1000.0);
        assertThat(blueWindow.percentileNanos(0.5) / 1e6).isLessThan(100.0);
        assertThat(greenWindow.requests()).isEqualTo(3);
        assertThat(greenWindow.errors()).isEqualTo(3);
        // and on /metrics: each slot's p99 since the router started, as the counters say, and the weight
        String scrape = metrics.scrape();
        Matcher p99 = Pattern.compile("switchback_router_latency_p99_seconds\\{slot=\"blue\",?} (\\S+)").matcher(scrape);
        assertThat(p99.find()).as(scrape).isTrue();
        assertThat(Double.parseDouble(p99.group(1))).isCloseTo(router.traffic(Slot.BLUE).percentileNanos(0.99) / 1e9, within(1e-9))
                .isGreaterThan(0);
        assertThat(scrape).contains("switchback_router_canary_weight 100.0");
    }

    private record Reply(int status, String slot, String setCookie) {
    }

    /** One keep-alive connection (reopened only if the router closes it, which the tests count); raw HTTP/1.1. */
    private static final class Client implements AutoCloseable {
        private final List<Socket> opened = new ArrayList<>();
        private Socket socket;
        private InputStream in;

        Client() throws IOException {
            open();
        }

        private void open() throws IOException {
            socket = new Socket("127.0.0.1", port);
            socket.setSoTimeout(10_000);
            in = socket.getInputStream();
            opened.add(socket);
        }

        int connections() {
            return opened.size();
        }

        Reply get(String path, String... headers) throws IOException {
            send(path, headers);
            return read();
        }

        void send(String path, String... headers) throws IOException {
            StringBuilder b = new StringBuilder("GET ").append(path).append(" HTTP/1.1\r\n");
            for (String h : headers) {
                b.append(h).append("\r\n");
            }
            socket.getOutputStream().write(b.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
        }

        Reply read() throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            int matched = 0;
            while (matched < 4) {
                int ch = in.read();
                if (ch < 0) {
                    throw new IOException("connection closed after " + head);
                }
                head.write(ch);
                matched = (ch == "\r\n\r\n".charAt(matched)) ? matched + 1 : (ch == '\r' ? 1 : 0);
            }
            String[] lines = head.toString(StandardCharsets.US_ASCII).split("\r\n");
            int status = Integer.parseInt(lines[0].split(" ")[1]);
            int length = 0;
            String slot = null;
            String setCookie = null;
            for (String line : lines) {
                String lower = line.toLowerCase(Locale.ROOT);
                String value = line.contains(":") ? line.substring(line.indexOf(':') + 1).trim() : "";
                if (lower.startsWith("content-length:")) {
                    length = Integer.parseInt(value);
                } else if (lower.startsWith("x-slot:")) {
                    slot = value;
                } else if (lower.startsWith("set-cookie:")) {
                    setCookie = value;
                }
            }
            in.readNBytes(length);
            return new Reply(status, slot, setCookie);
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}

package dev.switchback.server;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.switchback.deploy.Slot;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The router against real releases (JDK HTTP servers) on 127.0.0.1 sockets: HTTP details, errors, switch, pause. */
class RouterIT {
    /** Buffers the router never released, as Netty's leak detector (every buffer tracked) reports them. */
    private static final java.util.List<String> leaks = new java.util.concurrent.CopyOnWriteArrayList<>();

    static {
        // before any Netty buffer class loads: the router leaves the detector on when the level is given
        System.setProperty("io.netty.leakDetection.level", "paranoid");
        ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new ResourceLeakDetectorFactory() {
            @Override
            public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval, long maxActive) {
                return new ResourceLeakDetector<>(resource, samplingInterval) {
                    @Override
                    protected void reportTracedLeak(String resourceType, String records) {
                        leaks.add(resourceType + records);
                        super.reportTracedLeak(resourceType, records);
                    }

                    @Override
                    protected void reportUntracedLeak(String resourceType) {
                        leaks.add(resourceType);
                        super.reportUntracedLeak(resourceType);
                    }
                };
            }
        });
    }

    private static final int BIG = 24 * 1024 * 1024;
    private static HttpServer blue;
    private static HttpServer green;
    private static Metrics metrics;
    private static Router router;
    private static int port;
    private static final CountDownLatch slowRelease = new CountDownLatch(1);
    private static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() throws Exception {
        blue = release("blue");
        green = release("green");
        metrics = new Metrics();
        router = new Router(metrics);
        port = router.listen("127.0.0.1", 0).get(10, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        slowRelease.countDown();
        router.close();
        blue.stop(0);
        green.stop(0);
        // a leaked buffer is reported once it has been collected and the detector tracks the next one
        for (int i = 0; i < 5 && leaks.isEmpty(); i++) {
            System.gc();
            Thread.sleep(100);
            ByteBufAllocator.DEFAULT.directBuffer(16).release();
        }
        assertThat(leaks).as("buffers the router never released").isEmpty();
    }

    @AfterEach
    void reset() {
        router.maintenance(false, null);
        router.resume();
        router.route(Slot.BLUE, blue.getAddress().getPort());
    }

    /** A release: answers with its name in {@code X-Slot} and echoes what it was sent. */
    private static HttpServer release(String name) throws IOException {
        HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 100);
        s.setExecutor(Executors.newCachedThreadPool());
        s.createContext("/", x -> {
            byte[] body = x.getRequestBody().readAllBytes();
            StringBuilder b = new StringBuilder();
            b.append("method=").append(x.getRequestMethod()).append('\n');
            b.append("path=").append(x.getRequestURI()).append('\n');
            for (String h : new String[]{"X-Forwarded-For", "X-Forwarded-Proto", "X-Forwarded-Host", "Host", "Connection", "X-Hop"}) {
                b.append(h).append('=').append(x.getRequestHeaders().getFirst(h)).append('\n');
            }
            b.append("length=").append(body.length).append('\n').append("sha=").append(sha(body)).append('\n');
            reply(x, name, 200, b.toString().getBytes(StandardCharsets.UTF_8));
        });
        s.createContext("/big", x -> {
            // 24 MB of seeded random bytes in 64 KB chunks, length unknown (chunked)
            x.getRequestBody().readAllBytes();
            x.getResponseHeaders().set("X-Slot", name);
            x.sendResponseHeaders(200, 0);
            try (OutputStream out = x.getResponseBody()) {
                Random random = new Random(7);
                byte[] chunk = new byte[64 * 1024];
                for (int i = 0; i < BIG / chunk.length; i++) {
                    random.nextBytes(chunk);
                    out.write(chunk);
                }
            }
        });
        s.createContext("/status/500", x -> reply(x, name, 500, "broken\n".getBytes(StandardCharsets.UTF_8)));
        s.createContext("/slow", x -> {
            try {
                slowRelease.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            reply(x, name, 200, "slow\n".getBytes(StandardCharsets.UTF_8));
        });
        s.createContext("/sleep", x -> {
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            reply(x, name, 200, "slept\n".getBytes(StandardCharsets.UTF_8));
        });
        s.start();
        return s;
    }

    private static void reply(HttpExchange x, String name, int status, byte[] body) throws IOException {
        x.getResponseHeaders().set("X-Slot", name);
        x.getResponseHeaders().set("Content-Type", "text/plain");
        if (x.getRequestMethod().equals("HEAD")) {
            x.getResponseHeaders().set("Content-Length", String.valueOf(body.length));
            x.sendResponseHeaders(status, -1);
            x.close();
            return;
        }
        x.sendResponseHeaders(status, body.length);
        try (OutputStream out = x.getResponseBody()) {
            out.write(body);
        }
    }

    private static String sha(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void forwardsToTheActiveSlotWithForwardedHeaders() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri("/a/b?c=d")).header("X-Hop", "kept")
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("X-Slot")).hasValue("blue");
        assertThat(r.body()).contains("method=GET", "path=/a/b?c=d", "X-Forwarded-For=127.0.0.1", "X-Forwarded-Proto=http",
                "X-Forwarded-Host=127.0.0.1:" + port, "Host=127.0.0.1:" + port, "X-Hop=kept");
        assertThat(metrics.scrape()).contains("switchback_router_requests_total{slot=\"blue\",status=\"200\"}");
    }

    @Test
    void hopByHopHeadersNamedInConnectionAreNotForwarded() throws Exception {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.getOutputStream().write(("GET /hop HTTP/1.1\r\nHost: x\r\nConnection: X-Hop, close\r\nX-Hop: secret\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            String response = new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            assertThat(response).startsWith("HTTP/1.1 200").contains("X-Hop=null").containsIgnoringCase("connection: close");
        }
    }

    @Test
    void streamsLargeBodiesBothWays() throws Exception {
        byte[] body = new byte[BIG];
        Random random = new Random(7);
        byte[] chunk = new byte[64 * 1024];
        for (int i = 0; i < BIG / chunk.length; i++) {
            random.nextBytes(chunk);
            System.arraycopy(chunk, 0, body, i * chunk.length, chunk.length);
        }
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(uri("/big")).timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body().length).isEqualTo(body.length);
        assertThat(sha(r.body())).isEqualTo(sha(body));

        HttpResponse<String> counted = http.send(HttpRequest.newBuilder(uri("/count")).timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(counted.body()).contains("length=" + body.length, "sha=" + sha(body));
    }

    @Test
    void headAndErrorStatusesPassThrough() throws Exception {
        HttpResponse<Void> head = http.send(HttpRequest.newBuilder(uri("/x")).method("HEAD", HttpRequest.BodyPublishers.noBody())
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.discarding());
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.headers().firstValue("X-Slot")).hasValue("blue");
        // the connection is still usable after a HEAD (no body was expected)
        assertThat(get("/after-head").statusCode()).isEqualTo(200);
        HttpResponse<String> broken = get("/status/500");
        assertThat(broken.statusCode()).isEqualTo(500);
        assertThat(broken.body()).isEqualTo("broken\n");
    }

    @Test
    void keepAliveConnectionFollowsASwitch() throws Exception {
        try (Socket s = new Socket("127.0.0.1", port)) {
            RawHttp raw = new RawHttp(s);
            assertThat(raw.get("/one")).containsIgnoringCase("X-Slot: blue");
            router.route(Slot.GREEN, green.getAddress().getPort());
            assertThat(raw.get("/two")).containsIgnoringCase("X-Slot: green");
            router.route(Slot.BLUE, blue.getAddress().getPort());
            assertThat(raw.get("/three")).containsIgnoringCase("X-Slot: blue");
        }
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() throws Exception {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(("GET /sleep HTTP/1.1\r\nHost: x\r\n\r\nGET /p2 HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "GET /p3 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String all = new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            int first = all.indexOf("slept");
            int second = all.indexOf("path=/p2");
            int third = all.indexOf("path=/p3");
            assertThat(first).isGreaterThanOrEqualTo(0);
            assertThat(second).isGreaterThan(first);
            assertThat(third).isGreaterThan(second);
        }
    }

    @Test
    void http10ClientGetsItsConnectionClosedAndNoChunks() throws Exception {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write("GET /old HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            String all = new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            assertThat(all).startsWith("HTTP/1.").contains(" 200 ", "path=/old");
        }
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(30_000);
            // a body of unknown length (chunked from the release) reaches an HTTP/1.0 client whole, ended by the close
            s.getOutputStream().write("GET /big HTTP/1.0\r\nConnection: keep-alive\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            byte[] all = s.getInputStream().readAllBytes();
            String text = new String(all, 0, Math.min(all.length, 2000), StandardCharsets.ISO_8859_1);
            int bodyAt = text.indexOf("\r\n\r\n") + 4;
            assertThat(text.substring(0, bodyAt)).doesNotContainIgnoringCase("chunked");
            assertThat(all.length - bodyAt).isEqualTo(BIG);
        }
    }

    /** Writes {@code raw} on a new connection and reads until the router closes it (failing after 10 s if it does not). */
    private static String exchangeUntilClosed(String raw) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(raw.getBytes(StandardCharsets.US_ASCII));
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        }
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }

    @Test
    void aRequestWithContentLengthAndTransferEncodingIsAnsweredAndItsConnectionClosed() throws Exception {
        // RFC 9112 §6.3: the chunked framing wins, and nothing after it on the connection can be trusted
        String all = exchangeUntilClosed("POST /both HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5\r\nhello\r\n0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(count(all, "HTTP/1.1 ")).as(all).isEqualTo(1);
        assertThat(all).startsWith("HTTP/1.1 200").contains("path=/both", "length=5").doesNotContain("/smuggled");
        assertThat(all.toLowerCase()).contains("connection: close");
    }

    @Test
    void anInvalidOrOverflowingChunkSizeIsA400AndAClose() throws Exception {
        for (String size : new String[]{"FFFFFFFFFFFFFFFFFF", "xyz"}) {
            String all = exchangeUntilClosed("POST /chunks HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + size + "\r\nhello\r\n0\r\n\r\nGET /next HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(all).as(size).startsWith("HTTP/1.1 400").doesNotContain("path=/chunks", "path=/next");
            assertThat(count(all, "HTTP/1.1 ")).as(all).isEqualTo(1);
        }
    }

    @Test
    void twoHostHeadersOrNoneOnHttp11IsA400() throws Exception {
        for (String head : new String[]{"GET /two HTTP/1.1\r\nHost: a\r\nHost: b\r\n", "GET /none HTTP/1.1\r\n"}) {
            String all = exchangeUntilClosed(head + "\r\nGET /next HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(all).as(head).startsWith("HTTP/1.1 400").doesNotContain("path=");
        }
    }

    @Test
    void noActiveReleaseMaintenanceAndPauseAnswerFromTheRouter() throws Exception {
        router.route(null, null);
        HttpResponse<String> none = get("/");
        assertThat(none.statusCode()).isEqualTo(503);
        assertThat(none.body()).contains("No release is active");
        router.route(Slot.BLUE, blue.getAddress().getPort());

        router.maintenance(true, "Back at noon");
        HttpResponse<String> m = get("/");
        assertThat(m.statusCode()).isEqualTo(503);
        assertThat(m.body()).isEqualTo("Back at noon\n");
        assertThat(m.headers().firstValue("Retry-After")).hasValue("5");
        // a request with a body is read to its end and answered; the connection stays usable
        HttpResponse<String> post = http.send(HttpRequest.newBuilder(uri("/")).timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString("x".repeat(100_000))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(503);
        router.maintenance(false, null);
        assertThat(get("/").statusCode()).isEqualTo(200);

        router.pause(Duration.ofSeconds(20));
        CompletableFuture<HttpResponse<String>> held = http.sendAsync(HttpRequest.newBuilder(uri("/held"))
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
        Thread.sleep(300);
        assertThat(held).isNotDone();
        router.resume();
        assertThat(held.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);

        router.pause(Duration.ofMillis(200));
        HttpResponse<String> late = get("/late");
        assertThat(late.statusCode()).isEqualTo(503);
        assertThat(late.body()).contains("Paused");
        assertThat(get("/").statusCode()).isEqualTo(200);
    }

    @Test
    void unreachableReleaseIsA502AndTheRouterCarriesOn() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        router.route(Slot.GREEN, closed);
        HttpResponse<String> r = get("/");
        assertThat(r.statusCode()).isEqualTo(502);
        assertThat(r.body()).contains("slot green");
        assertThat(router.inFlight(Slot.GREEN)).isZero();
        router.route(Slot.BLUE, blue.getAddress().getPort());
        assertThat(get("/").statusCode()).isEqualTo(200);
    }

    @Test
    void aReleaseHangingUpMidResponseClosesTheClientConnectionAndNothingElse() throws Exception {
        try (ServerSocket cutting = new ServerSocket(0, 10, java.net.InetAddress.getLoopbackAddress())) {
            // promises 100000 bytes, sends 10 and hangs up
            Thread t = answerOnce(cutting, s -> s.getOutputStream().write(
                    "HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n0123456789".getBytes(StandardCharsets.US_ASCII)));
            router.route(Slot.GREEN, cutting.getLocalPort());
            assertThatThrownBy(() -> get("/cut")).isInstanceOf(IOException.class);
            t.join(10_000);
        }
        assertThat(router.inFlight(Slot.GREEN)).isZero();
        router.route(Slot.BLUE, blue.getAddress().getPort());
        assertThat(get("/").statusCode()).isEqualTo(200);
    }

    @Test
    void aReleaseThatNeverAnswersIsA504AfterTheReadTimeout() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 10, java.net.InetAddress.getLoopbackAddress())) {
            // waits until the router gives up and closes
            Thread t = answerOnce(silent, s -> s.getInputStream().read());
            Router quick = new Router(new Metrics(), 1, Duration.ofMillis(500));
            withRouter(quick, silent.getLocalPort(), p -> {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + p + "/"))
                        .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).isEqualTo(504);
                assertThat(r.body()).contains("slot green", "did not answer");
                assertThat(quick.inFlight(Slot.GREEN)).isZero();
                t.join(10_000);
                assertThat(t.isAlive()).isFalse();
            });
        }
    }

    @Test
    void aSwitchClosesTheUnusedConnectionsToTheReleaseLeft() throws Exception {
        try (ServerSocket left = new ServerSocket(0, 10, java.net.InetAddress.getLoopbackAddress())) {
            java.util.concurrent.CompletableFuture<Integer> afterAnswer = new java.util.concurrent.CompletableFuture<>();
            // answers one request on a keep-alive connection, then waits for the next one or the close
            Thread t = answerOnce(left, s -> {
                s.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok".getBytes(StandardCharsets.US_ASCII));
                s.getOutputStream().flush();
                s.setSoTimeout(30_000);
                afterAnswer.complete(s.getInputStream().read());
            });
            router.route(Slot.GREEN, left.getLocalPort());
            assertThat(get("/").statusCode()).isEqualTo(200);
            Thread.sleep(300);
            assertThat(afterAnswer).as("the connection stays pooled for the next request while green is active").isNotDone();
            router.route(Slot.BLUE, blue.getAddress().getPort());
            // closed by the switch itself, not after the 60 s an unused connection to the active release is kept
            assertThat(afterAnswer.get(5, TimeUnit.SECONDS)).isEqualTo(-1);
            t.join(10_000);
        }
        assertThat(get("/").statusCode()).isEqualTo(200);
    }

    @Test
    void aConnectionToTheReleaseReusedAfterIdlingGetsTheWholeReadTimeout() throws Exception {
        try (ServerSocket release = new ServerSocket(0, 10, java.net.InetAddress.getLoopbackAddress())) {
            // one keep-alive connection: the first request answered at once, the second after 1.2 s; a second
            // connection is never accepted, so the test also shows the pooled one was reused
            Thread t = keepAliveRelease(release, 0, 1200);
            Router r = new Router(new Metrics(), 1, Duration.ofMillis(2000), Duration.ofSeconds(30));
            withRouter(r, release.getLocalPort(), p -> {
                try (Socket client = new Socket("127.0.0.1", p)) {
                    RawHttp raw = new RawHttp(client);
                    assertThat(raw.get("/first")).startsWith("HTTP/1.1 200").endsWith("ok");
                    Thread.sleep(1400);
                    // the 2 s read timeout counts from the second request, not from the last thing read on the
                    // connection (which would end it 600 ms into the answer)
                    assertThat(raw.get("/second")).startsWith("HTTP/1.1 200").endsWith("ok");
                }
            });
            t.join(10_000);
        }
    }

    @Test
    void anUnusedConnectionToTheActiveReleaseIsClosedAfterTheIdleTime() throws Exception {
        try (ServerSocket release = new ServerSocket(0, 10, java.net.InetAddress.getLoopbackAddress())) {
            CompletableFuture<Long> closedAfterMs = new CompletableFuture<>();
            Thread t = answerOnce(release, s -> {
                s.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok".getBytes(StandardCharsets.US_ASCII));
                s.getOutputStream().flush();
                long answered = System.nanoTime();
                s.setSoTimeout(10_000);
                int eof = s.getInputStream().read();
                closedAfterMs.complete(eof == -1 ? TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - answered) : -1L);
            });
            Router r = new Router(new Metrics(), 1, Duration.ofSeconds(5), Duration.ofMillis(600));
            withRouter(r, release.getLocalPort(), p -> {
                HttpResponse<String> first = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + p + "/"))
                        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(first.body()).isEqualTo("ok");
                // kept for the next request for the idle time (600 ms), then closed though green is still active
                assertThat(closedAfterMs.get(8, TimeUnit.SECONDS)).isBetween(300L, 5000L);
            });
            t.join(10_000);
        }
    }

    @Test
    void anIdleClientConnectionIsClosedOnlyAfterTheIdleTimeWithNoRequestInProgress() throws Exception {
        try (ServerSocket release = new ServerSocket(0, 10, java.net.InetAddress.getLoopbackAddress())) {
            // the first answer takes 1.5 s, longer than the client idle time of 600 ms
            Thread t = keepAliveRelease(release, 1500, 0);
            Router r = new Router(new Metrics(), 1, Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofMillis(600));
            withRouter(r, release.getLocalPort(), p -> {
                try (Socket client = new Socket("127.0.0.1", p)) {
                    RawHttp raw = new RawHttp(client);
                    // nothing read from the client for 1.5 s, but a request in progress: the answer arrives whole
                    assertThat(raw.get("/slow")).startsWith("HTTP/1.1 200").endsWith("ok");
                    // and the connection is still there for the next request
                    assertThat(raw.get("/")).startsWith("HTTP/1.1 200").endsWith("ok");
                    long answered = System.nanoTime();
                    assertThat(client.getInputStream().read()).as("closed by the router").isEqualTo(-1);
                    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - answered)).isBetween(300L, 5000L);
                }
            });
            t.join(10_000);
        }
    }

    @Test
    void aClientStoppingInTheMiddleOfItsRequestIsClosedAfterTheIdleTime() throws Exception {
        try (ServerSocket release = new ServerSocket(0, 10, java.net.InetAddress.getLoopbackAddress())) {
            CompletableFuture<Integer> releaseSaw = new CompletableFuture<>();
            // reads the head and what comes of the body, until the router closes the connection
            Thread t = answerOnce(release, s -> {
                s.setSoTimeout(10_000);
                byte[] buf = new byte[256];
                int got = 0;
                for (int n; (n = s.getInputStream().read(buf)) > 0; ) {
                    got += n;
                }
                releaseSaw.complete(got);
            });
            Router r = new Router(new Metrics(), 1, Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofMillis(600));
            withRouter(r, release.getLocalPort(), p -> {
                try (Socket client = new Socket("127.0.0.1", p)) {
                    client.setSoTimeout(10_000);
                    client.getOutputStream().write(("POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n0123456789")
                            .getBytes(StandardCharsets.US_ASCII));
                    long sent = System.nanoTime();
                    // 10 of the 100 bytes promised, then nothing: the router gives up on it after the idle time
                    assertThat(client.getInputStream().read()).as("closed by the router").isEqualTo(-1);
                    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent)).isBetween(300L, 5000L);
                }
                assertThat(releaseSaw.get(10, TimeUnit.SECONDS)).as("the release's connection is closed too").isEqualTo(10);
                assertThat(r.awaitDrained(Slot.GREEN, Duration.ofSeconds(5))).isTrue();
            });
            t.join(10_000);
        }
    }

    private interface RouterWork {
        void run(int port) throws Exception;
    }

    /** Runs {@code work} with {@code r} listening on a free port, slot green routed to {@code releasePort}; closes it. */
    private static void withRouter(Router r, int releasePort, RouterWork work) throws Exception {
        try {
            int p = r.listen("127.0.0.1", 0).get(10, TimeUnit.SECONDS);
            r.route(Slot.GREEN, releasePort);
            work.run(p);
        } finally {
            r.close();
        }
    }

    /** A release on a raw socket: one keep-alive connection, each request answered "ok" after its delay (ms). */
    private static Thread keepAliveRelease(ServerSocket server, long... delays) {
        Thread t = new Thread(() -> {
            try (Socket s = server.accept()) {
                for (long delay : delays) {
                    readHead(s.getInputStream());
                    Thread.sleep(delay);
                    s.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok".getBytes(StandardCharsets.US_ASCII));
                    s.getOutputStream().flush();
                }
                s.setSoTimeout(10_000);
                s.getInputStream().read();
            } catch (IOException | InterruptedException e) {
                // the test fails on what the client sees
            }
        });
        t.start();
        return t;
    }

    private interface SocketWork {
        void run(Socket s) throws IOException;
    }

    /** A release on a raw socket: takes one connection, reads the request head, then does {@code work}. */
    private static Thread answerOnce(ServerSocket server, SocketWork work) {
        Thread t = new Thread(() -> {
            try (Socket s = server.accept()) {
                readHead(s.getInputStream());
                work.run(s);
                s.getOutputStream().flush();
            } catch (IOException e) {
                // the test fails on what the client sees
            }
        });
        t.start();
        return t;
    }

    private static void readHead(InputStream in) throws IOException {
        int matched = 0;
        while (matched < 4) {
            int c = in.read();
            if (c < 0) {
                return;
            }
            matched = (c == "\r\n\r\n".charAt(matched)) ? matched + 1 : (c == '\r' ? 1 : 0);
        }
    }

    @Test
    void inFlightCountsARequestUntilItsResponseEnds() throws Exception {
        CompletableFuture<HttpResponse<String>> slow = http.sendAsync(HttpRequest.newBuilder(uri("/slow"))
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (router.inFlight(Slot.BLUE) == 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(router.inFlight(Slot.BLUE)).isEqualTo(1);
        assertThat(router.awaitDrained(Slot.BLUE, Duration.ofMillis(200))).isFalse();
        slowRelease.countDown();
        assertThat(slow.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        assertThat(router.awaitDrained(Slot.BLUE, Duration.ofSeconds(5))).isTrue();
    }

    @Test
    void aClientThatGivesUpReleasesItsSlotCount() throws Exception {
        HttpServer stuck = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 10);
        CountDownLatch never = new CountDownLatch(1);
        stuck.createContext("/", x -> {
            try {
                never.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            x.close();
        });
        stuck.setExecutor(Executors.newCachedThreadPool());
        stuck.start();
        try {
            router.route(Slot.GREEN, stuck.getAddress().getPort());
            try (Socket s = new Socket("127.0.0.1", port)) {
                s.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                while (router.inFlight(Slot.GREEN) == 0 && System.nanoTime() < deadline) {
                    Thread.sleep(10);
                }
                assertThat(router.inFlight(Slot.GREEN)).isEqualTo(1);
            }
            assertThat(router.awaitDrained(Slot.GREEN, Duration.ofSeconds(5))).isTrue();
        } finally {
            never.countDown();
            stuck.stop(0);
        }
    }

    /** One keep-alive connection, requests one at a time, responses read by Content-Length. */
    private static final class RawHttp {
        private final Socket socket;
        private final InputStream in;

        RawHttp(Socket socket) throws IOException {
            this.socket = socket;
            socket.setSoTimeout(10_000);
            this.in = socket.getInputStream();
        }

        String get(String path) throws IOException {
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            int matched = 0;
            while (matched < 4) {
                int c = in.read();
                if (c < 0) {
                    throw new IOException("connection closed after " + head);
                }
                head.write(c);
                matched = (c == "\r\n\r\n".charAt(matched)) ? matched + 1 : (c == '\r' ? 1 : 0);
            }
            String h = head.toString(StandardCharsets.US_ASCII);
            int length = 0;
            for (String line : h.split("\r\n")) {
                if (line.toLowerCase().startsWith("content-length:")) {
                    length = Integer.parseInt(line.substring(15).trim());
                }
            }
            return h + new String(in.readNBytes(length), StandardCharsets.US_ASCII);
        }
    }
}

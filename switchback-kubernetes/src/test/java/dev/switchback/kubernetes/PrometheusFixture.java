package dev.switchback.kubernetes;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * TEST CODE: answers Prometheus' instant-query API ({@code /api/v1/query}) in its recorded response format, from counters
 * the test sets per slot. A slot with no counters answers an empty vector, as Prometheus does for a missing metric.
 */
public final class PrometheusFixture implements AutoCloseable {
    record Counters(long requests, long errors, double secondsEach) {
    }

    private final HttpServer server;
    private final Map<String, Counters> slots = new ConcurrentHashMap<>();

    public PrometheusFixture() throws IOException {
        // without it the JDK's server waits for the delayed ACK between headers and body: ~40 ms a query on loopback
        System.setProperty("sun.net.httpserver.nodelay", "true");
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/v1/query", ex -> {
            String q = URLDecoder.decode(ex.getRequestURI().getRawQuery().replaceFirst("^query=", ""), StandardCharsets.UTF_8);
            String slot = q.contains("-blue-") ? "blue" : q.contains("-green-") ? "green" : "?";
            Counters c = slots.get(slot);
            String result;
            if (c == null) {
                result = "[]";
            } else if (q.contains("_bucket")) {
                String le = String.valueOf(c.secondsEach());
                result = "[" + series("{\"le\":\"" + le + "\"}", c.requests()) + "," + series("{\"le\":\"+Inf\"}", c.requests()) + "]";
            } else if (q.contains("status=~")) {
                result = "[" + series("{}", c.errors()) + "]";
            } else {
                result = "[" + series("{}", c.requests()) + "]";
            }
            byte[] body = ("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":" + result + "}}")
                    .getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    private static String series(String metric, long value) {
        return "{\"metric\":" + metric + ",\"value\":[1765000000.000,\"" + value + "\"]}";
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public void set(String slot, long requests, long errors, double secondsEach) {
        slots.put(slot, new Counters(requests, errors, secondsEach));
    }

    void clear() {
        slots.clear();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}

package dev.switchback.cli;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Steady traffic to 127.0.0.1 from several clients: half keep their connections alive, half open a fresh
 * connection for every request. Records every outcome. Bounded: stops by itself after {@code maxDuration}.
 */
final class LoadGenerator implements AutoCloseable {
    /** One request: when it started and ended (nanoTime), the status (-1: an I/O failure), the slot and release that answered. */
    record Sample(long start, long end, int status, String slot, String error, String release) {
        Sample(long start, long end, int status, String slot, String error) {
            this(start, end, status, slot, error, null);
        }
    }

    private final List<Sample> samples = Collections.synchronizedList(new ArrayList<>());
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<Thread> threads = new ArrayList<>();

    LoadGenerator(int port, int clients, Duration maxDuration) {
        long deadline = System.nanoTime() + maxDuration.toNanos();
        for (int i = 0; i < clients; i++) {
            boolean keepAlive = i % 2 == 0;
            Thread t = new Thread(() -> {
                HttpClient shared = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
                while (running.get() && System.nanoTime() < deadline) {
                    long start = System.nanoTime();
                    try {
                        if (keepAlive) {
                            HttpResponse<String> r = shared.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                                    .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
                            samples.add(new Sample(start, System.nanoTime(), r.statusCode(), r.headers().firstValue("X-Slot").orElse(null), null,
                                    r.headers().firstValue("X-Release").orElse(null)));
                        } else {
                            samples.add(fresh(port, start));
                        }
                    } catch (Exception e) {
                        samples.add(new Sample(start, System.nanoTime(), -1, null, e.toString()));
                    }
                    // steady traffic, not a flood: on two cores a flood would starve the processes under test
                    try {
                        Thread.sleep(10);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "load-" + i);
            t.start();
            threads.add(t);
        }
    }

    /** One request on a new connection that the client closes after the answer. */
    private static Sample fresh(int port, long start) throws java.io.IOException {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(("GET / HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nConnection: close\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            String response = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            int status = response.startsWith("HTTP/1.1 ") ? Integer.parseInt(response.substring(9, 12)) : -1;
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?im)^X-Slot:\\s*(\\S+)").matcher(response);
            java.util.regex.Matcher r = java.util.regex.Pattern.compile("(?im)^X-Release:\\s*(\\S+)").matcher(response);
            return new Sample(start, System.nanoTime(), status, m.find() ? m.group(1) : null, status == -1 ? response : null,
                    r.find() ? r.group(1) : null);
        }
    }

    List<Sample> stop() throws InterruptedException {
        running.set(false);
        for (Thread t : threads) {
            t.join(60_000);
        }
        synchronized (samples) {
            return new ArrayList<>(samples);
        }
    }

    static List<Sample> failures(List<Sample> all) {
        return all.stream().filter(s -> s.status() != 200).toList();
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}

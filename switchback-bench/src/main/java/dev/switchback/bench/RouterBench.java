package dev.switchback.bench;

import dev.switchback.deploy.Slot;
import dev.switchback.deploy.Stickiness;
import dev.switchback.server.Metrics;
import dev.switchback.server.Router;
import io.netty.channel.epoll.Epoll;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Issue 4's router benchmark, the Java half: starts Switchback's {@link Router} in-process, routes slot blue to a
 * backend port and serves until it is stopped (SIGTERM) or {@code --max-seconds} pass. {@code scripts/bench-router}
 * starts it, drives it with wrk and compares it with the backend direct and with nginx as a reverse proxy.
 *
 * <p>Router.java itself is used as it is. What can be tuned from outside: {@code --listeners N}, the event loops serving
 * the router's port and its connections to the backend ({@code new Router(metrics, N)}; {@code switchback serve} uses
 * one per core, the default here too). JVM flags (GC, heap) are the caller's. Usage:
 * {@code java -cp switchback-bench.jar dev.switchback.bench.RouterBench --port P --backend B [--host 127.0.0.1]
 * [--listeners N] [--max-seconds S] [--origin-idle S] [--split W]} (S: seconds an unused connection to the backend is
 * kept, default 60 as the daemon; W: a traffic split, W % of new clients to slot green at the same backend with cookie
 * stickiness, so wrk's cookie-less requests each get a side and a Set-Cookie; compare with
 * {@code scripts/bench-router --variants="split10||--split 10"}); prints one line {@code ready ...} once a request through it returned 200.
 */
public final class RouterBench {
    private RouterBench() {
    }

    public static void main(String[] args) throws Exception {
        String host = "127.0.0.1";
        int port = -1;
        int backend = -1;
        int listeners = Runtime.getRuntime().availableProcessors();
        long maxSeconds = 900;
        long originIdleSeconds = 60;
        int split = -1;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String v = i + 1 < args.length ? args[i + 1] : null;
            switch (a) {
                case "--host" -> host = need(a, v);
                case "--port" -> port = Integer.parseInt(need(a, v));
                case "--backend" -> backend = Integer.parseInt(need(a, v));
                case "--listeners" -> listeners = Integer.parseInt(need(a, v));
                case "--max-seconds" -> maxSeconds = Long.parseLong(need(a, v));
                case "--origin-idle" -> originIdleSeconds = Long.parseLong(need(a, v));
                case "--split" -> split = Integer.parseInt(need(a, v));
                case "-h", "--help" -> {
                    System.out.println("usage: RouterBench --port P --backend B [--host 127.0.0.1] [--listeners N]"
                            + " [--max-seconds S] [--origin-idle S] [--split W]");
                    return;
                }
                default -> throw usage("unknown option " + a);
            }
            i++;
        }
        if (port <= 0 || backend <= 0) {
            throw usage("--port and --backend are required");
        }
        if (listeners < 1) {
            throw usage("--listeners must be at least 1");
        }

        Router router = new Router(new Metrics(), listeners, java.time.Duration.ofSeconds(60),
                java.time.Duration.ofSeconds(originIdleSeconds));
        // what Daemon does: Router.listen, here with the event-loop count given (default: one per core, as the daemon)
        router.listen(host, port).get(30, TimeUnit.SECONDS);
        router.route(Slot.BLUE, backend);
        if (split >= 0) {
            router.split(Slot.GREEN, backend, split, Stickiness.COOKIE, "bench");
        }

        int status = get("http://" + host + ":" + port + "/");
        if (status != 200) {
            System.err.println("router-bench: a request through the router answered " + status + ", not 200");
            router.close();
            System.exit(1);
        }
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stop.countDown();
            router.close();
        }, "router-bench-stop"));
        System.out.println("ready router on " + host + ":" + port + " -> 127.0.0.1:" + backend + " (event loops: "
                + listeners + (split >= 0 ? ", split: " + split + " % to green" : "") + ", native transport: " + (Epoll.isAvailable() ? "epoll" : "no (" + Epoll.unavailabilityCause() + ")")
                + ", jvm: " + System.getProperty("java.vm.version") + " " + gc() + ")");
        System.out.flush();
        // bounded: never outlives a script that forgot it
        if (!stop.await(maxSeconds, TimeUnit.SECONDS)) {
            System.err.println("router-bench: --max-seconds " + maxSeconds + " passed; stopping");
            System.exit(0);
        }
    }

    private static String gc() {
        StringBuilder b = new StringBuilder();
        for (var bean : java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()) {
            b.append(b.length() == 0 ? "" : "/").append(bean.getName());
        }
        return b.toString();
    }

    private static int get(String url) throws IOException {
        HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
        c.setConnectTimeout(5000);
        c.setReadTimeout(10000);
        try {
            int status = c.getResponseCode();
            try (InputStream in = status < 400 ? c.getInputStream() : c.getErrorStream()) {
                if (in != null) {
                    in.readAllBytes();
                }
            }
            return status;
        } finally {
            c.disconnect();
        }
    }

    private static String need(String option, String value) {
        if (value == null) {
            throw usage(option + " needs a value");
        }
        return value;
    }

    private static IllegalArgumentException usage(String message) {
        return new IllegalArgumentException(message + " (--help lists the options)");
    }
}

package dev.switchback.deploy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A release is healthy after healthyThreshold consecutive 2xx answers on its health path, within the timeout. */
public final class HealthGate {
    private final DeployConfig config;
    // built on first use: creating it costs a few hundred ms (TLS set-up included), which a daemon restart should not
    // spend before its router serves
    private volatile HttpClient http;

    public HealthGate(DeployConfig config) {
        this.config = config;
    }

    /**
     * @param healthy whether the gate passed
     * @param checks  what each check saw, in order (e.g. "200", "503", "connection refused")
     * @param reason  why it failed, with the release's last log lines when it exited
     */
    public record Result(boolean healthy, List<String> checks, String reason, long elapsedMs) {
    }

    public Result await(SlotState s, Duration timeout) {
        return await(s, timeout, config.healthInterval());
    }

    /** The gate with this perform's interval (the CLI's HEALTH_CHECK_INTERVAL) instead of the configured one. */
    public Result await(SlotState s, Duration timeout, Duration interval) {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        List<String> checks = new ArrayList<>();
        int streak = 0;
        while (true) {
            if (!s.running()) {
                return new Result(false, checks, s.release() + " exited before becoming healthy; last lines of " + s.log() + ":\n"
                        + Supervisor.tail(s.log(), 15), ms(start));
            }
            Probe seen = check(s.port());
            checks.add(seen.toString());
            streak = seen.healthy() ? streak + 1 : 0;
            if (streak >= config.healthyThreshold()) {
                return new Result(true, checks, null, ms(start));
            }
            if (System.nanoTime() > deadline) {
                return new Result(false, checks, s.release() + " did not become healthy within " + timeout.toSeconds() + " s ("
                        + config.healthyThreshold() + " consecutive 2xx on " + config.healthPath() + " needed; last answers: "
                        + String.join(", ", checks.subList(Math.max(0, checks.size() - 5), checks.size())) + ")", ms(start));
            }
            // poll quickly until the first success, then at the configured interval
            long pause = streak == 0 ? Math.min(250, interval.toMillis()) : interval.toMillis();
            Supervisor.sleep(Math.min(pause, Math.max(1, (deadline - System.nanoTime()) / 1_000_000)));
        }
    }

    /**
     * What one health check saw: the HTTP status, or what went wrong instead (no port, connection refused, a timeout).
     * Printed as the status code or the problem, as in messages and the snapshot's list of checks.
     */
    public record Probe(Integer status, String problem) {
        static Probe answered(int status) {
            return new Probe(status, null);
        }

        static Probe failed(String problem) {
            return new Probe(null, problem);
        }

        /** A 2xx answer. */
        public boolean healthy() {
            return status != null && status >= 200 && status < 300;
        }

        @Override
        public String toString() {
            return status != null ? String.valueOf(status) : problem;
        }
    }

    /** One check of the release on {@code port}. */
    public Probe check(Integer port) {
        if (port == null) {
            return Probe.failed("no port");
        }
        try {
            HttpResponse<Void> r = http().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + config.healthPath()))
                    .timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.discarding());
            return Probe.answered(r.statusCode());
        } catch (IOException e) {
            return Probe.failed(e.getClass().getSimpleName().replace("Exception", "").toLowerCase());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Probe.failed("interrupted");
        }
    }

    private HttpClient http() {
        HttpClient h = http;
        if (h == null) {
            synchronized (this) {
                h = http;
                if (h == null) {
                    h = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
                    http = h;
                }
            }
        }
        return h;
    }

    private static long ms(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }
}

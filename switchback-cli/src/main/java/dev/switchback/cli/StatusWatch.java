package dev.switchback.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchback.deploy.SlotTraffic;

import java.io.PrintStream;
import java.time.Duration;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code upgrade status --watch}: slots, weights, and per slot the request rate, error rate and p99 the router counted
 * since the last refresh; the rollout's step and last verdict when the status has a rollout. On a terminal the screen is
 * redrawn in place; otherwise each refresh prints plain lines, each starting with the time, for a log or a pipe.
 */
final class StatusWatch {
    private static final String CLEAR = "\033[H\033[2J";
    private final AdminClient client;
    private final PrintStream out;
    private final Duration interval;
    private final Integer count;
    private final boolean terminal;

    StatusWatch(AdminClient client, PrintStream out, Duration interval, Integer count) {
        this.client = client;
        this.out = out;
        this.interval = interval.isZero() ? Duration.ofSeconds(1) : interval;
        this.count = count;
        this.terminal = System.console() != null;
    }

    int run() {
        JsonNode before = client.get("/api/deployments/traffic");
        // the first frame shows a rate too: over a short first window
        sleep(Math.min(1000, interval.toMillis()));
        for (int i = 0; count == null || i < count; i++) {
            if (i > 0) {
                sleep(interval.toMillis());
            }
            JsonNode status = client.get("/api/deployments/status");
            JsonNode now = client.get("/api/deployments/traffic");
            List<String> lines = render(status, before, now);
            before = now;
            if (terminal) {
                out.print(CLEAR);
                out.println("switchback upgrade status --watch   " + LocalTime.now().truncatedTo(ChronoUnit.SECONDS)
                        + "   (every " + interval.toMillis() / 1000.0 + " s, Ctrl-C to stop)");
                lines.forEach(out::println);
            } else {
                String at = LocalTime.now().truncatedTo(ChronoUnit.MILLIS).toString();
                lines.forEach(l -> out.println(at + "  " + l));
            }
            out.flush();
        }
        return 0;
    }

    static List<String> render(JsonNode status, JsonNode before, JsonNode now) {
        List<String> lines = new ArrayList<>();
        lines.add(String.format("Active: %s   Standby: %s%s", status.path("active").asText("none"), status.path("standby").asText("none"),
                status.path("maintenance").asBoolean() ? "   MAINTENANCE" : ""));
        double seconds = Math.max(0.001, (now.path("atMs").asLong() - before.path("atMs").asLong()) / 1000.0);
        lines.add(String.format("%-6s  %-12s  %-8s  %6s  %9s  %7s  %9s", "Slot", "Release", "State", "Weight", "Req/s", "Errors", "p99"));
        status.path("slots").fields().forEachRemaining(e -> {
            JsonNode s = e.getValue();
            SlotTraffic w = traffic(now.path("slots").path(e.getKey())).minus(traffic(before.path("slots").path(e.getKey())));
            lines.add(String.format("%-6s  %-12s  %-8s  %5d%%  %9.1f  %7s  %9s", e.getKey(), s.path("release").asText("-"),
                    s.path("state").asText(), now.path("slots").path(e.getKey()).path("weight").asInt(), w.requests() / seconds,
                    w.requests() == 0 ? "-" : String.format("%.2f%%", w.errorRate() * 100),
                    w.requests() == 0 ? "-" : String.format("%.1f ms", w.p99Millis())));
        });
        JsonNode rollout = status.path("rollout");
        if (rollout.isObject()) {
            JsonNode verdicts = rollout.path("verdicts");
            JsonNode last = verdicts.size() == 0 ? null : verdicts.get(verdicts.size() - 1);
            lines.add(String.format("Rollout: %s %s in %s, %s, step %s at %s%%%s", rollout.path("strategy").asText(),
                    rollout.path("release").asText(), rollout.path("slot").asText(), rollout.path("state").asText(),
                    rollout.path("step").asText(), rollout.path("weight").asText(),
                    last == null ? "" : "; last verdict: " + last.path("verdict").asText() + " (" + last.path("reason").asText() + ")"));
        }
        JsonNode history = status.path("history");
        if (history.size() > 0) {
            JsonNode h = history.get(history.size() - 1);
            lines.add(String.format("Last: %s %s %s -> %s %s: %s", h.path("timestamp").asText(), h.path("action").asText(),
                    h.path("from").asText("-"), h.path("to").asText("-"), h.path("release").asText("-"), h.path("outcome").asText()));
        }
        return lines;
    }

    private static SlotTraffic traffic(JsonNode slot) {
        long[] counts = new long[SlotTraffic.BUCKETS];
        JsonNode c = slot.path("latencyCounts");
        for (int i = 0; i < counts.length && i < c.size(); i++) {
            counts[i] = c.get(i).asLong();
        }
        return new SlotTraffic(slot.path("requests").asLong(), slot.path("errors").asLong(), counts);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

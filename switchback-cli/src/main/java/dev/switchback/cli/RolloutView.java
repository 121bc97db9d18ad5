package dev.switchback.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchback.migration.ErrorCode;
import dev.switchback.migration.SwitchbackException;

import java.util.HashSet;
import java.util.Set;

/** The latest rollout as text, and following one from the CLI until it ends (it runs in the daemon either way). */
final class RolloutView {
    private RolloutView() {
    }

    static boolean live(JsonNode rollout) {
        String s = rollout.path("state").asText("");
        return s.equals("running") || s.equals("paused") || s.equals("watching") || s.equals("rolling_back");
    }

    /** One line: strategy, release, state, weight, step. */
    static String summary(JsonNode r) {
        String steps = r.path("steps").size() == 0 ? "" : ", step " + (r.path("step").asInt() + 1) + " of " + r.path("steps").size();
        return String.format("%s rollout of %s in %s: %s at %d%%%s", r.path("strategy").asText(), r.path("release").asText(),
                r.path("slot").asText(), r.path("state").asText(), r.path("weight").asInt(), steps);
    }

    static String verdict(JsonNode v) {
        JsonNode c = v.path("canary");
        JsonNode s = v.path("stable");
        String numbers = c.isObject() ? String.format(" [canary %d req, %d err, p99 %s ms | stable %d req, %d err, p99 %s ms]",
                c.path("requests").asLong(), c.path("errors").asLong(), c.path("p99Ms").asText(), s.path("requests").asLong(),
                s.path("errors").asLong(), s.path("p99Ms").asText()) : "";
        return String.format("%s  %3d%%  %-7s %s%s", v.path("at").asText(), v.path("weight").asInt(), v.path("verdict").asText(),
                v.path("reason").asText(), numbers);
    }

    static void print(Output out, JsonNode r) {
        if (r == null || !r.isObject()) {
            return;
        }
        out.line("Rollout: " + summary(r));
        if (!r.path("reason").isNull() && !r.path("reason").asText("").isEmpty()) {
            out.line("  " + r.path("reason").asText());
        }
        JsonNode verdicts = r.path("verdicts");
        for (int i = Math.max(0, verdicts.size() - 5); i < verdicts.size(); i++) {
            out.line("  " + verdict(verdicts.get(i)));
        }
    }

    /**
     * Prints each new verdict and state until the rollout ends; exit 0 when promoted, else a {@link ErrorCode#VERIFICATION}
     * failure (exit 4) saying why. Interrupting this stops nothing: the daemon goes on.
     */
    static JsonNode follow(AdminClient client, Output out, String id) {
        Set<String> seen = new HashSet<>();
        String lastState = null;
        while (true) {
            JsonNode r = client.get("/api/deployments/rollout").path("rollout");
            if (!r.isObject() || !r.path("id").asText().equals(id)) {
                throw new SwitchbackException(ErrorCode.FAILED, "The rollout " + id + " is no longer the daemon's latest");
            }
            if (!out.json()) {
                for (JsonNode v : r.path("verdicts")) {
                    if (seen.add(v.path("at").asText() + v.path("verdict").asText() + v.path("reason").asText())) {
                        out.line("  " + verdict(v));
                    }
                }
                String state = r.path("state").asText();
                // the perform's own output said how it started: only changes are news
                if (lastState == null ? !live(r) : !state.equals(lastState)) {
                    out.line(summary(r) + (r.path("reason").asText("").isEmpty() || r.path("reason").isNull() ? ""
                            : ": " + r.path("reason").asText()));
                }
                lastState = state;
            }
            if (!live(r)) {
                return r;
            }
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SwitchbackException(ErrorCode.FAILED, "Stopped following; the rollout goes on in the daemon "
                        + "(`switchback upgrade status`)");
            }
        }
    }

    /** Exit 0 for a promoted rollout; a rolled-back or aborted one fails with its reason (exit 4). */
    static void outcome(JsonNode r) {
        if (!r.path("state").asText().equals("promoted")) {
            throw new SwitchbackException(ErrorCode.VERIFICATION, "The rollout of " + r.path("release").asText() + " was "
                    + r.path("state").asText().replace('_', ' ') + ": " + r.path("reason").asText());
        }
    }
}

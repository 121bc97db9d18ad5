package dev.switchback.cli;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * {@code upgrade status}: every process of each slot, printed when the service has workers or several web instances (else
 * the slot table says it all).
 */
final class ProcessTable {
    private static final String ROW = "%-6s  %-12s  %-4s  %-8s  %-6s  %-8s  %-24s  %s";

    private ProcessTable() {
    }

    static void print(Output out, JsonNode slots) {
        boolean more = false;
        for (JsonNode s : slots) {
            for (JsonNode p : s.path("processes")) {
                more |= !p.path("name").asText().equals("web") || p.path("instance").asInt() > 0;
            }
        }
        if (!more) {
            return;
        }
        out.line("");
        out.line(ROW, "Slot", "Process", "Inst", "Pid", "Port", "State", "Health", "Restarts");
        slots.fields().forEachRemaining(e -> {
            for (JsonNode p : e.getValue().path("processes")) {
                out.line(ROW, e.getKey(), p.path("name").asText(), p.path("instance").asText(), p.path("pid").asText("-"),
                        p.path("port").asText("-"), p.path("state").asText(), p.path("health").asText("-"),
                        p.path("restarts").isNull() ? "-" : p.path("restarts").asText());
            }
        });
    }
}

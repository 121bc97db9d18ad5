package dev.switchback.deploy.workers;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

/**
 * How a worker is judged healthy: {@code {command: ...}} exits 0, {@code {http: /path}} answers 2xx on the worker's own
 * PORT, or {@code none} (the default): it still runs {@code startPeriod} after its start.
 */
public record WorkerHealth(Kind kind, List<String> command, String path) {
    public enum Kind { COMMAND, HTTP, NONE }

    public static final WorkerHealth NONE = new WorkerHealth(Kind.NONE, List.of(), null);

    public WorkerHealth {
        command = List.copyOf(command);
    }

    static WorkerHealth parse(String at, JsonNode n, List<String> problems) {
        if (n.isMissingNode() || n.isNull() || n.isTextual() && n.asText().equals("none")) {
            return NONE;
        }
        if (!n.isObject() || n.size() != 1 || !n.has("command") && !n.has("http") && !n.has("none")) {
            problems.add(at + " must be one of {command: <argv or sh -c string>}, {http: /path} or none");
            return NONE;
        }
        if (n.has("command")) {
            List<String> argv = WorkerSettings.argv(n.path("command"));
            if (argv.isEmpty()) {
                problems.add(at + ".command is empty");
            }
            return new WorkerHealth(Kind.COMMAND, argv, null);
        }
        if (n.has("http")) {
            String path = n.path("http").asText();
            if (!path.startsWith("/")) {
                problems.add(at + ".http must be a path starting with '/', was '" + path + "'");
            }
            return new WorkerHealth(Kind.HTTP, List.of(), path);
        }
        return NONE;
    }

    /** For status and messages: "command", "http /ready", "none". */
    public String describe() {
        return switch (kind) {
            case COMMAND -> "command " + String.join(" ", command);
            case HTTP -> "http " + path;
            case NONE -> "none";
        };
    }
}

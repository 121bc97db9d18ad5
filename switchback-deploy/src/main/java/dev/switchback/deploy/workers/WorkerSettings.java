package dev.switchback.deploy.workers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchback.migration.Settings;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One {@code deploy.workers.<name>} entry: a process of the release that takes no traffic.
 *
 * @param command     argv; a string in the config runs under {@code sh -c}
 * @param env         added to the service env for this worker only
 * @param replicas    instances per slot, numbered 0..replicas-1 ({@code SWITCHBACK_INSTANCE})
 * @param health      how it is judged healthy
 * @param startPeriod with {@code healthCheck: none}: healthy when still running this long after its start
 * @param critical    a rolling update replaces it after the web instances, one instance at a time (health-gated)
 * @param overlap     false: the old release's instances stop once the new ones are healthy; true: both keep running
 * @param firstInstance the number of its first instance: 0, or 1 for the web process's replicas (0 is the slot's own process)
 */
public record WorkerSettings(String name, List<String> command, Map<String, String> env, int replicas, WorkerHealth health,
                             Duration startPeriod, boolean critical, Duration stopTimeout, boolean overlap, int firstInstance) {
    /** The name of the web process's replicas among the workers. */
    public static final String WEB = "web";
    private static final Set<String> KEYS = Set.of("command", "env", "replicas", "healthCheck", "startPeriod", "critical",
            "stopTimeout", "overlap");

    public WorkerSettings {
        command = List.copyOf(command);
        env = Map.copyOf(env);
    }

    /**
     * The web process's instances beyond the slot's own ({@code deploy.service.replicas} above 1): numbered from 1, judged
     * by the service's health path; they stay with their slot as its own process does (warm with it, stopped with it).
     */
    public static WorkerSettings webReplicas(List<String> command, int replicas, String healthPath, Duration stopTimeout) {
        return new WorkerSettings(WEB, command, Map.of(), replicas, new WorkerHealth(WorkerHealth.Kind.HTTP, List.of(), healthPath),
                Duration.ZERO, true, stopTimeout, true, 1);
    }

    /** Whether these are the web process's replicas (routed), not a worker. */
    public boolean web() {
        return firstInstance > 0;
    }

    /** {@code deploy.workers} as the config file hands it over: a JSON object of name to settings. Every problem is added. */
    public static List<WorkerSettings> parse(String json, List<String> problems) {
        List<WorkerSettings> out = new ArrayList<>();
        if (json == null || json.isBlank()) {
            return out;
        }
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(json);
        } catch (IOException e) {
            root = null;
        }
        if (root == null || !root.isObject()) {
            problems.add("deploy.workers must be a map of name to {command, env, replicas, healthCheck, startPeriod, critical, "
                    + "stopTimeout, overlap}");
            return out;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String at = "deploy.workers." + e.getKey();
            JsonNode n = e.getValue();
            if (!e.getKey().matches("[A-Za-z0-9][A-Za-z0-9_-]*") || e.getKey().equals(WEB)) {
                problems.add(at + ": a worker's name is letters, digits, '-' and '_' and not 'web' (the routed process)");
            }
            if (!n.isObject()) {
                problems.add(at + " must be a map with at least a command");
                continue;
            }
            n.fieldNames().forEachRemaining(k -> {
                if (!KEYS.contains(k)) {
                    problems.add("unknown key '" + at + "." + k + "' (known: " + String.join(", ", new java.util.TreeSet<>(KEYS)) + ")");
                }
            });
            List<String> command = argv(n.path("command"));
            if (command.isEmpty()) {
                problems.add(at + ".command is not set: say how to start it (a list, or a string run by sh -c)");
            }
            Map<String, String> env = new LinkedHashMap<>();
            if (n.has("env") && !n.path("env").isObject()) {
                problems.add(at + ".env must be a map of NAME: value");
            }
            n.path("env").fields().forEachRemaining(v -> env.put(v.getKey(), v.getValue().asText()));
            int replicas = 1;
            if (n.has("replicas")) {
                JsonNode r = n.path("replicas");
                replicas = r.canConvertToInt() || r.isTextual() && r.asText().matches("\\d+") ? r.asInt() : -1;
                if (replicas < 1) {
                    problems.add(at + ".replicas must be a whole number of at least 1, was '" + r.asText() + "'");
                }
            }
            WorkerHealth health = WorkerHealth.parse(at + ".healthCheck", n.path("healthCheck"), problems);
            Duration startPeriod = Settings.duration(at + ".startPeriod", n.path("startPeriod").asText("2s"), problems);
            Duration stopTimeout = Settings.duration(at + ".stopTimeout", n.path("stopTimeout").asText("10s"), problems);
            boolean critical = bool(at + ".critical", n.path("critical"), problems);
            boolean overlap = bool(at + ".overlap", n.path("overlap"), problems);
            out.add(new WorkerSettings(e.getKey(), command, env, Math.max(1, replicas), health, startPeriod, critical, stopTimeout,
                    overlap, 0));
        }
        return out;
    }

    /** For logs and snapshots: the env's secret-looking values masked. */
    @Override
    public String toString() {
        return "Worker[" + name + ", command=" + command + ", env=" + dev.switchback.deploy.DeployConfig.masked(env) + ", replicas="
                + replicas + ", healthCheck=" + health.describe() + ", startPeriod=" + startPeriod + ", critical=" + critical
                + ", stopTimeout=" + stopTimeout + ", overlap=" + overlap + "]";
    }

    /** A list as given, a string as {@code sh -c <string>}. */
    static List<String> argv(JsonNode n) {
        List<String> out = new ArrayList<>();
        if (n.isArray()) {
            n.forEach(v -> out.add(v.asText()));
        } else if (n.isTextual() && !n.asText().isBlank()) {
            out.addAll(List.of("sh", "-c", n.asText()));
        }
        return out;
    }

    private static boolean bool(String at, JsonNode n, List<String> problems) {
        if (n.isMissingNode() || n.isNull()) {
            return false;
        }
        String v = n.asText();
        if (!v.equals("true") && !v.equals("false")) {
            problems.add(at + " must be true or false, was '" + v + "'");
        }
        return v.equals("true");
    }
}

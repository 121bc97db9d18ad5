package dev.switchback.deploy;

import dev.switchback.deploy.analysis.AnalysisSettings;
import dev.switchback.deploy.rollout.RollingSettings;
import dev.switchback.deploy.rollout.RolloutSettings;
import dev.switchback.deploy.notify.NotifyTarget;
import dev.switchback.deploy.workers.WorkerSettings;
import dev.switchback.migration.ErrorCode;
import dev.switchback.migration.Settings;
import dev.switchback.migration.SwitchbackException;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The deploy settings, validated once, every problem reported together.
 *
 * @param stateDir {@code .switchback/} beside the config: state.json, logs, admin.token
 * @param analysis how a canary is judged against the stable release
 * @param rollout  the strategy, canary steps and blue-green watch
 * @param failover how the active release is watched and what happens when it dies
 * @param webhooks {@code deploy.notify}: the webhooks told of failovers, rollbacks, failed performs (their URLs are secrets)
 * @param workers  {@code deploy.workers}: the release's processes that take no traffic
 */
public record DeployConfig(Path directory, int rollbackLimit, boolean autoSwitch, boolean autoCleanup, String routerHost,
                           int routerPort, String adminHost, int adminPort, List<String> command, Path workingDirectory,
                           Map<String, String> env, String healthPath, Duration healthInterval, Duration healthTimeout,
                           int healthyThreshold, Duration stopTimeout, Duration drainTimeout, Path stateDir,
                           AnalysisSettings analysis, RolloutSettings rollout, FailoverSettings failover,
                           List<NotifyTarget> webhooks, List<WorkerSettings> workers) {
    private static final Pattern SECRET_NAME = Pattern.compile("(?i).*(password|secret|token|key).*");

    public DeployConfig {
        command = List.copyOf(command);
        env = Map.copyOf(env);
        webhooks = List.copyOf(webhooks);
        workers = List.copyOf(workers);
    }

    /** Without workers. */
    public DeployConfig(Path directory, int rollbackLimit, boolean autoSwitch, boolean autoCleanup, String routerHost,
                        int routerPort, String adminHost, int adminPort, List<String> command, Path workingDirectory,
                        Map<String, String> env, String healthPath, Duration healthInterval, Duration healthTimeout,
                        int healthyThreshold, Duration stopTimeout, Duration drainTimeout, Path stateDir,
                        AnalysisSettings analysis, RolloutSettings rollout, FailoverSettings failover, List<NotifyTarget> webhooks) {
        this(directory, rollbackLimit, autoSwitch, autoCleanup, routerHost, routerPort, adminHost, adminPort, command,
                workingDirectory, env, healthPath, healthInterval, healthTimeout, healthyThreshold, stopTimeout, drainTimeout,
                stateDir, analysis, rollout, failover, webhooks, List.of());
    }

    /** Without rollout, failover or notification settings: their defaults. */
    public DeployConfig(Path directory, int rollbackLimit, boolean autoSwitch, boolean autoCleanup, String routerHost,
                        int routerPort, String adminHost, int adminPort, List<String> command, Path workingDirectory,
                        Map<String, String> env, String healthPath, Duration healthInterval, Duration healthTimeout,
                        int healthyThreshold, Duration stopTimeout, Duration drainTimeout, Path stateDir,
                        AnalysisSettings analysis) {
        this(directory, rollbackLimit, autoSwitch, autoCleanup, routerHost, routerPort, adminHost, adminPort, command,
                workingDirectory, env, healthPath, healthInterval, healthTimeout, healthyThreshold, stopTimeout, drainTimeout,
                stateDir, analysis, RolloutSettings.DEFAULTS, FailoverSettings.DEFAULTS, List.of());
    }

    public static DeployConfig from(Map<DeploySetting, String> given, Path baseDir) {
        Map<DeploySetting, String> v = new EnumMap<>(DeploySetting.class);
        for (DeploySetting s : DeploySetting.values()) {
            if (s.defaultValue() != null) {
                v.put(s, s.defaultValue());
            }
        }
        v.putAll(given);
        List<String> problems = new ArrayList<>();
        String[] router = hostPort(v.get(DeploySetting.ROUTER_LISTEN), "deploy.router.listen", problems);
        String[] admin = hostPort(v.get(DeploySetting.ADMIN_LISTEN), "deploy.admin.listen", problems);
        int limit = number(v.get(DeploySetting.ROLLBACK_LIMIT), "deploy.rollbackLimit", 1, problems);
        int threshold = number(v.get(DeploySetting.HEALTHY_THRESHOLD), "deploy.service.healthCheck.healthyThreshold", 1, problems);
        Duration interval = duration(v, DeploySetting.HEALTH_INTERVAL, problems);
        Duration timeout = duration(v, DeploySetting.HEALTH_TIMEOUT, problems);
        Duration stop = duration(v, DeploySetting.STOP_TIMEOUT, problems);
        Duration drain = duration(v, DeploySetting.DRAIN_TIMEOUT, problems);
        int before = problems.size();
        double maxErrorRate = Settings.percent(DeploySetting.ANALYSIS_MAX_ERROR_RATE.path(), v.get(DeploySetting.ANALYSIS_MAX_ERROR_RATE), problems);
        double abortErrorRate = Settings.percent(DeploySetting.ANALYSIS_ABORT_ERROR_RATE.path(), v.get(DeploySetting.ANALYSIS_ABORT_ERROR_RATE), problems);
        Duration maxP99 = duration(v, DeploySetting.ANALYSIS_MAX_P99, problems);
        Duration analysisInterval = duration(v, DeploySetting.ANALYSIS_INTERVAL, problems);
        Duration warmup = duration(v, DeploySetting.ANALYSIS_WARMUP, problems);
        int minRequests = number(v.get(DeploySetting.ANALYSIS_MIN_REQUESTS), DeploySetting.ANALYSIS_MIN_REQUESTS.path(), 1, problems);
        if (problems.size() == before) {
            problems.addAll(AnalysisSettings.problems(maxErrorRate, maxP99, minRequests, abortErrorRate, analysisInterval, warmup));
        }
        RolloutSettings rollout = RolloutSettings.parse(v.get(DeploySetting.STRATEGY), v.get(DeploySetting.CANARY_STEPS),
                v.get(DeploySetting.CANARY_STEP_DURATION), v.get(DeploySetting.CANARY_PROGRESS_DEADLINE),
                v.get(DeploySetting.CANARY_STICKY), v.get(DeploySetting.BLUEGREEN_WATCH), new String[]{
                        v.get(DeploySetting.ANALYSIS_PROMETHEUS_URL), v.get(DeploySetting.ANALYSIS_PROMETHEUS_QUERY),
                        v.get(DeploySetting.ANALYSIS_PROMETHEUS_MAX)}, problems)
                .withRolling(RollingSettings.parse(v.get(DeploySetting.ROLLING_MAX_SURGE), v.get(DeploySetting.ROLLING_MAX_UNAVAILABLE),
                        v.get(DeploySetting.ROLLING_WAIT), v.get(DeploySetting.ROLLING_PROGRESS_DEADLINE), problems));
        int beforeLive = problems.size();
        Duration live = duration(v, DeploySetting.LIVE_INTERVAL, problems);
        if (problems.size() == beforeLive && live.toMillis() < 100) {
            problems.add(DeploySetting.LIVE_INTERVAL.path() + " cannot be less than 100ms, was " + live.toMillis() + "ms");
        }
        int unhealthy = number(v.get(DeploySetting.UNHEALTHY_THRESHOLD), DeploySetting.UNHEALTHY_THRESHOLD.path(), 1, problems);
        FailoverMode failover = FailoverMode.parse(v.get(DeploySetting.FAILOVER), problems);
        List<NotifyTarget> notify = NotifyTarget.parse(v.get(DeploySetting.NOTIFY), problems);
        List<WorkerSettings> workers = new ArrayList<>(WorkerSettings.parse(v.get(DeploySetting.WORKERS), problems));
        String path = v.get(DeploySetting.HEALTH_PATH);
        if (path == null || !path.startsWith("/")) {
            problems.add("deploy.service.healthCheck.path must start with '/', was '" + path + "'");
        }
        int replicas = number(v.get(DeploySetting.REPLICAS), DeploySetting.REPLICAS.path(), 1, problems);
        if (replicas > 1) {
            // the web process's further instances are run, gated, restarted and adopted as workers are
            workers.add(0, WorkerSettings.webReplicas(command(v.get(DeploySetting.COMMAND)), replicas, path, stop));
        }
        if (!problems.isEmpty()) {
            throw new SwitchbackException(ErrorCode.CONFIG, "Invalid deploy configuration:\n  - " + String.join("\n  - ", problems));
        }
        return new DeployConfig(baseDir.resolve(v.get(DeploySetting.DIRECTORY)).normalize(), limit,
                bool(v.get(DeploySetting.AUTO_SWITCH)), bool(v.get(DeploySetting.AUTO_CLEANUP)), router[0],
                Integer.parseInt(router[1]), admin[0], Integer.parseInt(admin[1]), command(v.get(DeploySetting.COMMAND)),
                baseDir.resolve(v.get(DeploySetting.WORKING_DIRECTORY)).normalize(), env(v.get(DeploySetting.ENV)), path,
                interval, timeout, threshold, stop, drain, baseDir.resolve(".switchback"),
                new AnalysisSettings(maxErrorRate, maxP99, minRequests, abortErrorRate, analysisInterval, warmup), rollout,
                new FailoverSettings(live, unhealthy, failover), notify, workers);
    }

    /** The command: one element per line (a YAML list), else split on blanks (an environment variable). */
    static List<String> command(String value) {
        if (value == null || value.isBlank()) {
            return List.of();
        }
        if (value.contains("\n")) {
            return Arrays.stream(value.split("\n")).toList();
        }
        return Arrays.stream(value.strip().split("\\s+")).toList();
    }

    /** KEY=VALUE lines (a YAML map) or comma-separated pairs (an environment variable). */
    static Map<String, String> env(String value) {
        Map<String, String> out = new LinkedHashMap<>();
        if (value == null || value.isBlank()) {
            return out;
        }
        for (String line : value.split(value.contains("\n") ? "\n" : ",")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                out.put(line.substring(0, eq).strip(), line.substring(eq + 1));
            }
        }
        return out;
    }

    /** The service env with values of names like *password*, *secret*, *token*, *key* masked. */
    public Map<String, String> maskedEnv() {
        return masked(env);
    }

    /** An environment with values of names like *password*, *secret*, *token*, *key* masked (a worker's too). */
    public static Map<String, String> masked(Map<String, String> env) {
        Map<String, String> out = new LinkedHashMap<>();
        env.forEach((k, val) -> out.put(k, SECRET_NAME.matcher(k).matches() ? "****" : dev.switchback.migration.dialect.Dialects.mask(val)));
        return out;
    }

    private static String[] hostPort(String value, String name, List<String> problems) {
        int colon = value == null ? -1 : value.lastIndexOf(':');
        try {
            int port = Integer.parseInt(value.substring(colon + 1));
            if (port < 0 || port > 65535) {
                throw new NumberFormatException();
            }
            return new String[]{colon <= 0 ? "127.0.0.1" : value.substring(0, colon), String.valueOf(port)};
        } catch (RuntimeException e) {
            problems.add(name + " '" + value + "' is not host:port");
            return new String[]{"127.0.0.1", "0"};
        }
    }

    private static int number(String value, String name, int min, List<String> problems) {
        try {
            int n = Integer.parseInt(String.valueOf(value).strip());
            if (n < min) {
                problems.add(name + " cannot be less than " + min + ", was " + n);
            }
            return n;
        } catch (NumberFormatException e) {
            problems.add(name + " '" + value + "' is not a whole number");
            return min;
        }
    }

    private static Duration duration(Map<DeploySetting, String> v, DeploySetting s, List<String> problems) {
        return Settings.duration(s.path(), v.get(s), problems);
    }

    private static boolean bool(String value) {
        return switch (String.valueOf(value).strip().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on", "1" -> true;
            default -> false;
        };
    }
}

package dev.switchback.deploy;

import dev.switchback.migration.SettingKey;


/** Every deploy setting: path in switchback.yml, default, description, the runbooks' environment names. */
public enum DeploySetting implements SettingKey {
    DIRECTORY(Spec.of("deploy.directory", ".switchback/deployments", "snapshots, history.json and the active file", "DEPLOYMENT_DIR")),
    ROLLBACK_LIMIT(Spec.of("deploy.rollbackLimit", "5", "snapshots kept", "ROLLBACK_LIMIT")),
    AUTO_SWITCH(Spec.of("deploy.autoSwitch", "true", "perform switches traffic once the new release is healthy", "AUTO_SWITCH")),
    AUTO_CLEANUP(Spec.of("deploy.autoCleanup", "false", "perform stops the old slot after the switch", "AUTO_CLEANUP")),
    ROUTER_LISTEN(Spec.of("deploy.router.listen", "127.0.0.1:8080", "the service's public listener")),
    ADMIN_LISTEN(Spec.of("deploy.admin.listen", "127.0.0.1:8081", "the admin API, health and metrics")),
    COMMAND(Spec.of("deploy.service.command", null, "the release's command (a list; ${RELEASE}, ${PORT}, ${SLOT} expanded)")),
    REPLICAS(Spec.of("deploy.service.replicas", "1", "instances of the web process per slot, each on its own port, balanced by "
            + "least outstanding requests")),
    WORKING_DIRECTORY(Spec.of("deploy.service.workingDirectory", ".", "the release's working directory")),
    ENV(Spec.of("deploy.service.env", null, "extra environment for the release (a map; secrets masked everywhere we print it)")),
    ENV_FILE(Spec.of("deploy.service.envFile", null, "the keys a release expects (${RELEASE} expanded; default: .env.example in "
            + "the release's folder, the migrations location that names ${RELEASE}); perform refuses a release missing one")),
    HEALTH_PATH(Spec.of("deploy.service.healthCheck.path", "/health/ready", "readiness path polled on the release")),
    HEALTH_INTERVAL(Spec.of("deploy.service.healthCheck.interval", "2s", "time between health checks", "HEALTH_CHECK_INTERVAL")),
    HEALTH_TIMEOUT(Spec.of("deploy.service.healthCheck.timeout", "60s", "how long a release has to become healthy", "HEALTH_CHECK_TIMEOUT")),
    HEALTHY_THRESHOLD(Spec.of("deploy.service.healthCheck.healthyThreshold", "2", "consecutive 2xx answers that make a release healthy")),
    STOP_TIMEOUT(Spec.of("deploy.service.stopTimeout", "30s", "SIGTERM, then SIGKILL after this long")),
    DRAIN_TIMEOUT(Spec.of("deploy.service.drainTimeout", "30s", "how long cleanup waits for in-flight requests")),
    ANALYSIS_MAX_ERROR_RATE(Spec.of("deploy.analysis.maxErrorRate", "1%", "a canary fails above max(this, stable's error rate + 0.5 points)")),
    ANALYSIS_MAX_P99(Spec.of("deploy.analysis.maxP99", "500ms", "a canary fails when its p99 is above max(this, 1.2 x stable's p99)")),
    ANALYSIS_MIN_REQUESTS(Spec.of("deploy.analysis.minRequests", "50", "requests each side serves before anything but an abort is decided")),
    ANALYSIS_ABORT_ERROR_RATE(Spec.of("deploy.analysis.abortErrorRate", "20%", "a canary above this error rate over 20 requests fails at once")),
    ANALYSIS_INTERVAL(Spec.of("deploy.analysis.interval", "10s", "the window of counters reported in status and history")),
    ANALYSIS_WARMUP(Spec.of("deploy.analysis.warmup", "10s", "after a new release first takes traffic, its latency is not judged for this long")),
    ANALYSIS_PROMETHEUS_URL(Spec.of("deploy.analysis.prometheus.url", null, "a Prometheus server asked each interval about the canary")),
    ANALYSIS_PROMETHEUS_QUERY(Spec.of("deploy.analysis.prometheus.query", null, "PromQL with {{release}} and {{slot}}; empty is not yet")),
    ANALYSIS_PROMETHEUS_MAX(Spec.of("deploy.analysis.prometheus.max", null, "the canary fails when the query's value is above this")),
    STRATEGY(Spec.of("deploy.strategy", "bluegreen", "how perform moves traffic: bluegreen (all at once, then watched) or canary")),
    CANARY_STEPS(Spec.of("deploy.canary.steps", "5, 25, 50, 100", "canary weights in percent; pause waits for upgrade promote")),
    CANARY_STEP_DURATION(Spec.of("deploy.canary.stepDuration", "60s", "each canary step is held this long and left only on a pass")),
    CANARY_PROGRESS_DEADLINE(Spec.of("deploy.canary.progressDeadline", "10m", "a step without a verdict this long pauses the rollout")),
    CANARY_STICKY(Spec.of("deploy.canary.sticky", "cookie", "none, cookie or header:<Name>: a client stays on its side")),
    ROLLING_MAX_SURGE(Spec.of("deploy.rolling.maxSurge", "1", "rolling: instances started above replicas in a batch")),
    ROLLING_MAX_UNAVAILABLE(Spec.of("deploy.rolling.maxUnavailable", "0", "rolling: instances stopped before their replacements serve")),
    ROLLING_WAIT(Spec.of("deploy.rolling.wait", "0s", "rolling: pause after each batch")),
    ROLLING_PROGRESS_DEADLINE(Spec.of("deploy.rolling.progressDeadline", "10m", "rolling: an update not done this long rolls back")),
    BLUEGREEN_WATCH(Spec.of("deploy.bluegreen.watch", "5m", "after a switch, judge the new release this long (0 turns it off)")),
    LIVE_INTERVAL(Spec.of("deploy.service.healthCheck.liveInterval", "2s", "time between liveness checks of the active release")),
    UNHEALTHY_THRESHOLD(Spec.of("deploy.service.healthCheck.unhealthyThreshold", "3", "consecutive failed checks that make the active release dead")),
    FAILOVER(Spec.of("deploy.failover", "standby", "when the active release dies: standby (traffic to the warm standby, then restart), restart, none")),
    NOTIFY(Spec.of("deploy.notify", null, "webhooks: a list of {url, events, format: slack|discord|json}; the URL is a secret")),
    WORKERS(Spec.of("deploy.workers", null, "processes of the release that take no traffic: a map of name to {command, env, "
            + "replicas, healthCheck: {command|http}|none, startPeriod, critical, stopTimeout, overlap}"));

    private final Spec spec;

    DeploySetting(Spec spec) {
        this.spec = spec;
    }

    @Override
    public Spec spec() {
        return spec;
    }
}

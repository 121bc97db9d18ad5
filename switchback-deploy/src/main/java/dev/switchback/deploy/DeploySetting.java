package dev.switchback.deploy;

import dev.switchback.migration.SettingKey;

import java.util.List;

/** Every deploy setting: path in switchback.yml, default, description, the runbooks' environment names. */
public enum DeploySetting implements SettingKey {
    DIRECTORY("deploy.directory", ".switchback/deployments", "snapshots, history.json and the active file", "DEPLOYMENT_DIR"),
    ROLLBACK_LIMIT("deploy.rollbackLimit", "5", "snapshots kept", "ROLLBACK_LIMIT"),
    AUTO_SWITCH("deploy.autoSwitch", "true", "perform switches traffic once the new release is healthy", "AUTO_SWITCH"),
    AUTO_CLEANUP("deploy.autoCleanup", "false", "perform stops the old slot after the switch", "AUTO_CLEANUP"),
    ROUTER_LISTEN("deploy.router.listen", "127.0.0.1:8080", "the service's public listener"),
    ADMIN_LISTEN("deploy.admin.listen", "127.0.0.1:8081", "the admin API, health and metrics"),
    COMMAND("deploy.service.command", null, "the release's command (a list; ${RELEASE}, ${PORT}, ${SLOT} expanded)"),
    WORKING_DIRECTORY("deploy.service.workingDirectory", ".", "the release's working directory"),
    ENV("deploy.service.env", null, "extra environment for the release (a map; secrets masked everywhere we print it)"),
    HEALTH_PATH("deploy.service.healthCheck.path", "/health/ready", "readiness path polled on the release"),
    HEALTH_INTERVAL("deploy.service.healthCheck.interval", "2s", "time between health checks", "HEALTH_CHECK_INTERVAL"),
    HEALTH_TIMEOUT("deploy.service.healthCheck.timeout", "60s", "how long a release has to become healthy", "HEALTH_CHECK_TIMEOUT"),
    HEALTHY_THRESHOLD("deploy.service.healthCheck.healthyThreshold", "2", "consecutive 2xx answers that make a release healthy"),
    STOP_TIMEOUT("deploy.service.stopTimeout", "30s", "SIGTERM, then SIGKILL after this long"),
    DRAIN_TIMEOUT("deploy.service.drainTimeout", "30s", "how long cleanup waits for in-flight requests");

    private final String path;
    private final String defaultValue;
    private final String description;
    private final List<String> aliases;

    DeploySetting(String path, String defaultValue, String description, String... aliases) {
        this.path = path;
        this.defaultValue = defaultValue;
        this.description = description;
        this.aliases = List.of(aliases);
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public String defaultValue() {
        return defaultValue;
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public List<String> aliases() {
        return aliases;
    }

    @Override
    public boolean isSecret() {
        return false;
    }
}

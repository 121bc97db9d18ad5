package dev.switchback.deploy;

import java.time.Duration;

/**
 * What {@code upgrade perform} asks for; null options take the daemon's configured values. The CLI fills them from its
 * flags, else from its own environment (AUTO_SWITCH, HEALTH_CHECK_TIMEOUT, ...), so a runbook's
 * {@code HEALTH_CHECK_TIMEOUT=120 switchback upgrade perform} applies to that perform.
 *
 * @param autoSwitch     with skipHealth, only an explicit true switches (the configured default does not)
 * @param healthTimeout  how long the release has to become healthy in this perform
 * @param healthInterval time between health checks in this perform
 * @param allowUnsafe    apply the release's migrations even when lint finds errors in them
 */
public record PerformRequest(String release, Boolean autoSwitch, Boolean autoCleanup, Duration healthTimeout,
                             Duration healthInterval, boolean skipHealth, boolean skipMigrations, boolean noBackup,
                             boolean allowUnsafe) {
}

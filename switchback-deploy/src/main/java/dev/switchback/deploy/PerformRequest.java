package dev.switchback.deploy;

/**
 * What {@code upgrade perform} asks for; null options take the configured defaults.
 *
 * @param timeoutSeconds health-check timeout for this perform
 * @param allowUnsafe    apply the release's migrations even when lint finds errors in them
 */
public record PerformRequest(String release, Boolean autoSwitch, Boolean autoCleanup, Integer timeoutSeconds,
                             boolean skipHealth, boolean skipMigrations, boolean noBackup, boolean allowUnsafe) {
}

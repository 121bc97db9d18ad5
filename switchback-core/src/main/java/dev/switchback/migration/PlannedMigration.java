package dev.switchback.migration;

/**
 * A migration migrate would apply (dry run).
 *
 * @param resumeAt the 1-based statement a partial migration resumes at, 1 otherwise
 */
public record PlannedMigration(String version, String description, String script, boolean noTransaction,
                               int resumeAt, String sql) {
}

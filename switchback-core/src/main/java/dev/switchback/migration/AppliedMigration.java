package dev.switchback.migration;

import java.time.Instant;

/**
 * A row of the history table.
 *
 * @param rank           the order in which it was applied
 * @param type           {@code SQL} or {@code BASELINE}
 * @param state          {@code success}, {@code failed} or {@code partial}
 * @param statementsDone for a partial migration, how many of its statements ran
 * @param hasDown        whether down SQL is stored for it
 */
public record AppliedMigration(int rank, String version, String description, String type, String script,
                               String checksum, String installedBy, Instant installedOn, long executionMs,
                               String state, int statementsDone, String backupId, boolean hasDown) {
    public static final String SUCCESS = "success";
    public static final String FAILED = "failed";
    public static final String PARTIAL = "partial";
    public static final String TYPE_SQL = "SQL";
    public static final String TYPE_BASELINE = "BASELINE";

    public Version parsedVersion() {
        return Version.parse(version);
    }

    public boolean succeeded() {
        return SUCCESS.equals(state);
    }

    public boolean isBaseline() {
        return TYPE_BASELINE.equals(type);
    }
}

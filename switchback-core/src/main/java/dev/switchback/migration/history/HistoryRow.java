package dev.switchback.migration.history;

/** The values of a history row being written. */
public record HistoryRow(int rank, String version, String description, String type, String script, String checksum,
                         String upSql, String downSql, String installedBy, long executionMs, String state,
                         int statementsDone, String backupId) {
}

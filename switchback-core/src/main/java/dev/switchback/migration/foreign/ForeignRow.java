package dev.switchback.migration.foreign;

import java.time.Instant;

/**
 * One migration another tool recorded as applied (or as having failed).
 *
 * @param key        what the row names it by: a version, or a file name when {@code byFile}
 * @param byFile     whether {@code key} is a file name (matched to a migration's file name) rather than a version
 * @param appliedAt  when the tool applied it, or null when the tool does not keep it
 * @param appliedBy  who applied it, or null
 * @param executionMs how long it took, or 0
 * @param checksum   Flyway's CRC-32 of the script, or null
 * @param failure    why the tool's row says it did not apply cleanly ({@code failed}, {@code dirty}), or null
 * @param baseline   a Flyway baseline row: the database was marked as at this version, nothing ran
 * @param upTo       golang-migrate's one row: every version up to {@code key} is applied
 * @param where      the row as a person finds it in the tool's table, for messages
 */
public record ForeignRow(String key, boolean byFile, Instant appliedAt, String appliedBy, long executionMs,
                         Integer checksum, String failure, boolean baseline, boolean upTo, String where) {
    static ForeignRow version(String version, Instant appliedAt, String where) {
        return new ForeignRow(version, false, appliedAt, null, 0, null, null, false, false, where);
    }
}

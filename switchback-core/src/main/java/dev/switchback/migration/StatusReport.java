package dev.switchback.migration;

import java.util.List;

/**
 * Applied and pending migrations, problems and the lock holder: what {@code status --json} prints.
 *
 * @param schema the schema snapshot's version and hash and whether the live schema drifted from it; null when not read
 */
public record StatusReport(String database, String current, List<Applied> applied, List<Pending> pending,
                           List<Problem> problems, Lock lock, SchemaState schema) {

    public StatusReport(String database, String current, List<Applied> applied, List<Pending> pending, List<Problem> problems, Lock lock) {
        this(database, current, applied, pending, problems, lock, null);
    }

    StatusReport withSchema(SchemaState state) {
        return new StatusReport(database, current, applied, pending, problems, lock, state);
    }

    /**
     * @param version the version the newest snapshot was taken at, or null when there is none
     * @param hash    its schema hash, or null
     * @param drift   whether the live schema differs from it; null when there is no snapshot of the current history
     *                (taken before snapshots existed, or the history changed since: {@code drift --replay} checks it)
     */
    public record SchemaState(String version, String hash, Boolean drift) {
        public static final SchemaState UNKNOWN = new SchemaState(null, null, null);
    }

    public record Applied(String version, String description, String script, String checksum, String appliedAt,
                          long executionMs, String state, boolean hasDown) {
    }

    public record Pending(String version, String description, String script) {
    }

    public record Lock(String holder, String since) {
    }
}

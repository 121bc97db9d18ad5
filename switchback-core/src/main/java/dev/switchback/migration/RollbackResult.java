package dev.switchback.migration;

import java.util.List;

/**
 * What rollback did, or with a dry run would do.
 *
 * @param plan     the migrations to undo, newest first, with the down SQL that runs (from the file or the history)
 * @param backupId what {@link BeforeRollback} returned (the backup taken first), or null
 */
public record RollbackResult(String database, String from, String to, List<Undo> plan, List<AppliedStep> undone,
                             boolean dryRun, String backupId) {

    /** Nothing was backed up: a dry run, nothing to undo, or no hook. */
    public RollbackResult(String database, String from, String to, List<Undo> plan, List<AppliedStep> undone, boolean dryRun) {
        this(database, from, to, plan, undone, dryRun, null);
    }

    /** @param source {@code file} or {@code history}: where the down SQL comes from */
    public record Undo(String version, String description, String script, String source, String sql) {
    }
}

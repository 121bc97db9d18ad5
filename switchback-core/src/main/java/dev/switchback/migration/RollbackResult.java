package dev.switchback.migration;

import java.util.List;

/**
 * What rollback did, or with a dry run would do.
 *
 * @param plan the migrations to undo, newest first, with the down SQL that runs (from the file or the history)
 */
public record RollbackResult(String database, String from, String to, List<Undo> plan, List<AppliedStep> undone,
                             boolean dryRun) {

    /** @param source {@code file} or {@code history}: where the down SQL comes from */
    public record Undo(String version, String description, String script, String source, String sql) {
    }
}

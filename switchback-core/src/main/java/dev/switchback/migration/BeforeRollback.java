package dev.switchback.migration;

/**
 * Called once by rollback, under the lock, when something is about to be undone (never on a dry run or when there is
 * nothing to undo): the place to take a backup, since down SQL may drop what no later migration brings back. Its result
 * is recorded in the audit log with the rollback.
 */
@FunctionalInterface
public interface BeforeRollback {
    BeforeRollback NONE = (from, to) -> null;

    /**
     * @param from the highest applied version now
     * @param to   the version rollback goes back to, or null when it undoes everything
     * @return an id to record with the rollback (a backup id), or null
     */
    String run(String from, String to);
}

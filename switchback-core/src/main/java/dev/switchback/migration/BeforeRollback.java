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

    /**
     * Migrate's backup hook used before a rollback: it is asked for the version {@code rollback-<to>} ({@code to} is
     * 0 when everything is undone), so a backup labelled {@code pre-<version>} is labelled {@code pre-rollback-<to>}.
     */
    static BeforeRollback backingUpWith(BeforeMigrate backup) {
        return (from, to) -> backup.run(from, "rollback-" + (to == null ? "0" : to));
    }
}

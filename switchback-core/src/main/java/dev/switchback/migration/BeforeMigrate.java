package dev.switchback.migration;

/**
 * Called once by migrate, under the lock, when something is about to be applied (never on a dry run or
 * when up to date): the place to take a backup. Its result is recorded with every history row it precedes.
 */
@FunctionalInterface
public interface BeforeMigrate {
    BeforeMigrate NONE = (from, to) -> null;

    /**
     * @param from the highest applied version now, or null
     * @param to   the version migrate is about to reach
     * @return an id to record with the rows (a backup id), or null
     */
    String run(String from, String to);
}

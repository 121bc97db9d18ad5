package dev.switchback.migration;

/** Progress of a long command, reported as each migration finishes. */
public interface MigrationListener {
    MigrationListener NONE = new MigrationListener() {
    };

    default void applied(AppliedStep step) {
    }

    default void undone(AppliedStep step) {
    }
}

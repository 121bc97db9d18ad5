package dev.switchback.deploy;

/** What the daemon counts (metrics) as the deployer works. */
public interface DeployListener {
    DeployListener NONE = new DeployListener() {
    };

    default void migrated(long durationMs, int applied) {
    }

    default void migrationFailed(long durationMs) {
    }

    default void switched(Slot to) {
    }

    default void healthCheckFailed(String release) {
    }

    /** The active release died; {@code action} is what followed: standby, restart or none. */
    default void activeDied(String action) {
    }
}

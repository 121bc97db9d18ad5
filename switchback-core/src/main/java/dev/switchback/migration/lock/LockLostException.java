package dev.switchback.migration.lock;

import java.sql.SQLException;

/**
 * Thrown by {@link MigrationLock#confirm} when another migrator has taken the lock over. An {@link SQLException}, so
 * that whatever catches a failed statement also rolls back on it; a migration then records nothing.
 */
public final class LockLostException extends SQLException {
    public LockLostException(String message) {
        super(message, "55000");
    }
}

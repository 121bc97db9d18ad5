package dev.switchback.migration.lock;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;

/** Exactly one migrator at a time. Released by {@link #close()}, and by the database when the holder dies. */
public interface MigrationLock extends AutoCloseable {

    /**
     * Waits up to {@code timeout} for the lock.
     *
     * @throws dev.switchback.migration.SwitchbackException with {@code LOCK_TIMEOUT}, naming the holder and since when
     */
    void acquire(Duration timeout);

    /**
     * Called inside each migration's transaction before it commits, and before each statement of a journaled one: a
     * lease-based lock renews itself there and, if another migrator has taken the lease over, throws
     * {@link LockLostException}, on which the caller rolls back and records nothing.
     */
    default void confirm(Connection migrationConnection) throws SQLException {
    }

    @Override
    void close();
}

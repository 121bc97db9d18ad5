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
     * Called inside each migration's transaction before it commits: a lease-based lock renews itself there
     * and fails the migration if another migrator has taken the lease over.
     */
    default void confirm(Connection migrationConnection) throws SQLException {
    }

    @Override
    void close();
}

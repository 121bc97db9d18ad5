package dev.switchback.migration.lock;

import dev.switchback.migration.ErrorCode;
import dev.switchback.migration.SwitchbackException;
import dev.switchback.migration.dialect.Connections;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

/**
 * A server-side lock owned by a database session (PostgreSQL advisory lock, MariaDB/MySQL GET_LOCK),
 * polled on a connection of its own that stays outside any transaction, so it never blocks
 * CREATE INDEX CONCURRENTLY and it disappears with the session when the process dies.
 */
public abstract class SessionLock implements MigrationLock {
    private final Connections connections;
    private final LockRecord record;
    private final List<String> lockTableDdl;
    private final DatabaseSessions sessions;
    private final Connection worker;
    private Connection connection;

    /**
     * @param worker the connection our statements run on under the lock: its session is recorded, so that if we die
     *               mid-statement the next holder ends it instead of running the statement a second time beside it
     */
    protected SessionLock(Connections connections, LockRecord record, List<String> lockTableDdl, DatabaseSessions sessions,
                          Connection worker) {
        this.connections = connections;
        this.record = record;
        this.lockTableDdl = lockTableDdl;
        this.sessions = sessions;
        this.worker = worker;
    }

    /** One non-blocking attempt; true when the lock is now ours. */
    protected abstract boolean tryLock(Connection c) throws SQLException;

    protected abstract void unlock(Connection c) throws SQLException;

    @Override
    public void acquire(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long pause = 20;
        try {
            connection = connections.open();
            connection.setAutoCommit(true);
            while (!tryLock(connection)) {
                if (System.nanoTime() > deadline) {
                    throw timedOut(timeout);
                }
                Thread.sleep(pause);
                pause = Math.min(500, pause * 2);
            }
            try (Statement st = connection.createStatement()) {
                for (String ddl : lockTableDdl) {
                    st.execute(ddl);
                }
            }
            record.addSessionColumn(connection);
            String ours = sessions.idOf(worker);
            OrphanedSession.end(connection, record.table(), sessions, ours, deadline);
            record.write(connection, System.currentTimeMillis());
            record.writeSession(connection, ours);
        } catch (SQLException e) {
            close();
            throw new SwitchbackException(ErrorCode.FAILED, "Could not take the migration lock: " + e.getMessage()
                    + " (SQLSTATE " + e.getSQLState() + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new SwitchbackException(ErrorCode.LOCK_TIMEOUT, "Interrupted while waiting for the migration lock");
        } catch (SwitchbackException e) {
            close();
            throw e;
        }
    }

    private SwitchbackException timedOut(Duration timeout) {
        String who;
        try {
            LockHolder holder = LockRecord.read(connection, record.table());
            who = holder == null ? "a session that left no holder record" : holder.describe();
        } catch (SQLException e) {
            who = "a session that left no holder record";
        }
        return new SwitchbackException(ErrorCode.LOCK_TIMEOUT, "Migration lock not acquired within " + timeout.toMillis()
                + " ms: held by " + who + ". Wait for it to finish, or raise lockTimeout. "
                + "The lock is released by the database as soon as the holder's session ends.");
    }

    @Override
    public void close() {
        if (connection == null) {
            return;
        }
        try {
            try {
                record.delete(connection);
            } catch (SQLException ignored) {
                // the table may not exist if acquiring failed early; the lock itself is what matters
            }
            unlock(connection);
        } catch (SQLException ignored) {
            // closing the session below releases the lock anyway
        } finally {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // nothing left to release
            }
            connection = null;
        }
    }
}

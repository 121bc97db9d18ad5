package dev.switchback.migration.lock;

import dev.switchback.migration.ErrorCode;
import dev.switchback.migration.SwitchbackException;
import dev.switchback.migration.dialect.Connections;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A lease row for databases without session locks (SQLite): renewed by a heartbeat and inside every
 * migration's transaction; a lease whose holder died expires and is taken over.
 */
public final class LeaseLock implements MigrationLock {
    private static final Logger log = LoggerFactory.getLogger(LeaseLock.class);
    private final Connections connections;
    private final LockRecord record;
    private final List<String> lockTableDdl;
    private final Duration lease;
    private final Clock clock;
    private Connection connection;
    private ScheduledExecutorService heartbeat;

    public LeaseLock(Connections connections, LockRecord record, List<String> lockTableDdl, Duration lease) {
        this(connections, record, lockTableDdl, lease, Clock.systemUTC());
    }

    /** @param clock what expiry is measured by: every migrator's clock, read in its own process */
    public LeaseLock(Connections connections, LockRecord record, List<String> lockTableDdl, Duration lease, Clock clock) {
        this.connections = connections;
        this.record = record;
        this.lockTableDdl = lockTableDdl;
        this.lease = lease;
        this.clock = clock;
    }

    @Override
    public void acquire(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long pause = 20;
        try {
            connection = connections.open();
            connection.setAutoCommit(true);
            try (Statement st = connection.createStatement()) {
                for (String ddl : lockTableDdl) {
                    st.execute(ddl);
                }
            }
            while (!tryTake()) {
                if (System.nanoTime() > deadline) {
                    LockHolder holder = LockRecord.read(connection, record.table());
                    String who = holder == null ? "nobody (the lease was just released)" : holder.describe()
                            + ", lease expires " + holder.expires();
                    throw new SwitchbackException(ErrorCode.LOCK_TIMEOUT, "Migration lock not acquired within "
                            + timeout.toMillis() + " ms: held by " + who + ". If that process is gone the lease expires by itself; "
                            + "`switchback unlock --force` clears it now.");
                }
                Thread.sleep(pause);
                pause = Math.min(500, pause * 2);
            }
            startHeartbeat();
        } catch (SQLException e) {
            close();
            throw new SwitchbackException(ErrorCode.FAILED, "Could not take the migration lease: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new SwitchbackException(ErrorCode.LOCK_TIMEOUT, "Interrupted while waiting for the migration lock");
        } catch (SwitchbackException e) {
            close();
            throw e;
        }
    }

    private boolean tryTake() throws SQLException {
        long now = clock.millis();
        try (PreparedStatement ps = connection.prepareStatement("UPDATE " + record.table()
                + " SET token = ?, holder = ?, host = ?, pid = ?, acquired_ms = ?, heartbeat_ms = ?, expires_ms = ?"
                + " WHERE id = 1 AND (expires_ms < ? OR token = ?)")) {
            ps.setString(1, record.token());
            ps.setString(2, record.holder());
            ps.setString(3, record.host());
            ps.setLong(4, record.pid());
            ps.setLong(5, now);
            ps.setLong(6, now);
            ps.setLong(7, now + lease.toMillis());
            ps.setLong(8, now);
            ps.setString(9, record.token());
            if (ps.executeUpdate() == 1) {
                return true;
            }
        } catch (SQLException e) {
            if (isBusy(e)) {
                return false;
            }
            throw e;
        }
        try {
            return record.insert(connection, now, now + lease.toMillis());
        } catch (SQLException e) {
            if (isBusy(e)) {
                return false;
            }
            throw e;
        }
    }

    private void startHeartbeat() {
        heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "switchback-lease-heartbeat");
            t.setDaemon(true);
            return t;
        });
        long every = Math.max(100, lease.toMillis() / 3);
        heartbeat.scheduleWithFixedDelay(this::renewQuietly, every, every, TimeUnit.MILLISECONDS);
    }

    private void renewQuietly() {
        try {
            if (!renew(connection)) {
                log.warn("The migration lease was taken over by another migrator; this run stops before its next statement or commit");
            }
        } catch (SQLException e) {
            // busy while our own migration writes: that migration renews the lease in its transaction
            log.debug("Lease heartbeat skipped: {}", e.getMessage());
        }
    }

    private boolean renew(Connection c) throws SQLException {
        long now = clock.millis();
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + record.table()
                + " SET heartbeat_ms = ?, expires_ms = ? WHERE id = 1 AND token = ?")) {
            ps.setLong(1, now);
            ps.setLong(2, now + lease.toMillis());
            ps.setString(3, record.token());
            return ps.executeUpdate() == 1;
        }
    }

    /**
     * Renews the lease in the migration's own transaction; if another migrator took it over (this one was presumed dead,
     * e.g. frozen past the lease), throws {@link LockLostException}: the caller rolls back and writes nothing more.
     */
    @Override
    public void confirm(Connection migrationConnection) throws SQLException {
        if (!renew(migrationConnection)) {
            LockHolder now = LockRecord.read(migrationConnection, record.table());
            throw new LockLostException("the migration lease was taken over by "
                    + (now == null ? "another migrator (it has released it since)" : now.describe())
                    + ": this migrator went " + lease.toMillis() + " ms without renewing it (frozen or stalled) and was presumed "
                    + "dead. It stopped without writing anything more; the other migrator carries on. If this process was "
                    + "only slow, raise migrations.lockLease.");
        }
    }

    private static boolean isBusy(SQLException e) {
        String msg = String.valueOf(e.getMessage());
        return msg.contains("SQLITE_BUSY") || msg.contains("SQLITE_LOCKED");
    }

    @Override
    public void close() {
        if (heartbeat != null) {
            heartbeat.shutdownNow();
            try {
                heartbeat.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            heartbeat = null;
        }
        if (connection != null) {
            try {
                record.delete(connection);
            } catch (SQLException e) {
                log.warn("Could not release the migration lease ({}); it expires by itself within {} ms", e.getMessage(), lease.toMillis());
            }
            try {
                connection.close();
            } catch (SQLException ignored) {
                // released above or expires by itself
            }
            connection = null;
        }
    }
}

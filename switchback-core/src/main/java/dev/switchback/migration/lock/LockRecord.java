package dev.switchback.migration.lock;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.UUID;

/** The row of {@code switchback_lock} that names the holder; on SQLite it is the lease itself. */
public final class LockRecord {
    private final String table;
    private final String token = UUID.randomUUID().toString();
    private final String holder;
    private final String host;
    private final long pid;

    public LockRecord(String quotedTable, String holder) {
        this.table = quotedTable;
        this.holder = holder;
        this.host = hostName();
        this.pid = ProcessHandle.current().pid();
    }

    String token() {
        return token;
    }

    String table() {
        return table;
    }

    String holder() {
        return holder;
    }

    String host() {
        return host;
    }

    long pid() {
        return pid;
    }

    /** Replaces any record with ours (used by session locks once the lock is held). */
    void write(Connection c, long now) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.executeUpdate("DELETE FROM " + table + " WHERE id = 1");
        }
        insert(c, now, null);
    }

    /** Inserts our record; returns false when a row already exists. */
    boolean insert(Connection c, long now, Long expires) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table
                + " (id, token, holder, host, pid, acquired_ms, heartbeat_ms, expires_ms) VALUES (1, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, token);
            ps.setString(2, holder);
            ps.setString(3, host);
            ps.setLong(4, pid);
            ps.setLong(5, now);
            ps.setLong(6, now);
            if (expires == null) {
                ps.setNull(7, java.sql.Types.BIGINT);
            } else {
                ps.setLong(7, expires);
            }
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            if (isDuplicate(e)) {
                return false;
            }
            throw e;
        }
    }

    /** Adds the column naming the holder's working session to a lock table made before it existed. */
    void addSessionColumn(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.executeQuery("SELECT db_session FROM " + table + " WHERE 1 = 0").close();
        } catch (SQLException missing) {
            try (Statement st = c.createStatement()) {
                st.execute("ALTER TABLE " + table + " ADD COLUMN db_session VARCHAR(100)");
            }
        }
    }

    /** Records the server session our statements run in, for a later holder to end if we die mid-statement. */
    void writeSession(Connection c, String session) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + table + " SET db_session = ? WHERE id = 1 AND token = ?")) {
            ps.setString(1, session);
            ps.setString(2, token);
            ps.executeUpdate();
        }
    }

    /** The working session recorded by whoever held the lock before (null when none was). */
    static String recordedSession(Connection c, String quotedTable) throws SQLException {
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT db_session FROM " + quotedTable + " WHERE id = 1")) {
            return rs.next() ? rs.getString(1) : null;
        } catch (SQLException e) {
            if ("42703".equals(e.getSQLState()) || e.getErrorCode() == 1054) {
                return null; // a lock table from before the column: no holder recorded a session in it
            }
            throw e;
        }
    }

    void delete(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE id = 1 AND token = ?")) {
            ps.setString(1, token);
            ps.executeUpdate();
        }
    }

    public static LockHolder read(Connection c, String quotedTable) throws SQLException {
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT holder, host, pid, acquired_ms, expires_ms FROM " + quotedTable + " WHERE id = 1")) {
            if (!rs.next()) {
                return null;
            }
            long expires = rs.getLong("expires_ms");
            boolean noExpiry = rs.wasNull();
            return new LockHolder(rs.getString("holder"), rs.getString("host"), rs.getLong("pid"),
                    Instant.ofEpochMilli(rs.getLong("acquired_ms")), noExpiry ? null : Instant.ofEpochMilli(expires));
        }
    }

    /** Removes whatever record is there (unlock --force). */
    public static int clear(Connection c, String quotedTable) throws SQLException {
        try (Statement st = c.createStatement()) {
            return st.executeUpdate("DELETE FROM " + quotedTable + " WHERE id = 1");
        }
    }

    private static boolean isDuplicate(SQLException e) {
        String state = e.getSQLState();
        String msg = String.valueOf(e.getMessage());
        return "23505".equals(state) || "23000".equals(state) || msg.contains("UNIQUE constraint failed")
                || msg.contains("SQLITE_CONSTRAINT");
    }

    static String hostName() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env;
        }
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/sys/kernel/hostname")).strip();
        } catch (java.io.IOException | RuntimeException ignored) {
            // not Linux: ask the resolver below
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return ManagementFactory.getRuntimeMXBean().getName();
        }
    }
}

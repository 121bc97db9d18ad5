package dev.switchback.migration.dialect;

import dev.switchback.migration.lock.DatabaseSessions;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Connections by id. Ids grow for the server's lifetime; after a restart one may come back, so a session is also
 * matched by its user (the migrators').
 */
final class MySqlSessions implements DatabaseSessions {

    @Override
    public String idOf(Connection worker) throws SQLException {
        try (Statement st = worker.createStatement(); ResultSet rs = st.executeQuery("SELECT CONNECTION_ID()")) {
            rs.next();
            // ids start again at 1 when the server restarts: the server's start time tells one lifetime from the next
            return rs.getLong(1) + ":" + serverStart(worker);
        }
    }

    @Override
    public String doing(Connection c, String id) throws SQLException {
        Long connection = parse(id);
        if (connection == null || !sameServerLifetime(c, id)) {
            return null;
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT COMMAND, TIME, LEFT(INFO, 200) FROM information_schema.PROCESSLIST"
                + " WHERE ID = ? AND USER = SUBSTRING_INDEX(USER(), '@', 1)")) {
            ps.setLong(1, connection);
            try (ResultSet rs = ps.executeQuery()) {
                // an idle connection runs nothing that could apply twice (and may be back in an application's pool)
                if (!rs.next() || "Sleep".equals(rs.getString(1))) {
                    return null;
                }
                return "connection " + connection + ", " + rs.getString(1) + " for " + rs.getLong(2) + " s"
                        + (rs.getString(3) == null ? "" : ": " + rs.getString(3));
            }
        }
    }

    @Override
    public void end(Connection c, String id) throws SQLException {
        Long connection = parse(id);
        if (connection == null) {
            return;
        }
        try (Statement st = c.createStatement()) {
            st.execute("KILL CONNECTION " + connection);
        } catch (SQLException e) {
            if (e.getErrorCode() != 1094) { // ER_NO_SUCH_THREAD: it went meanwhile
                throw e;
            }
        }
    }

    private static Long parse(String id) {
        try {
            int colon = id.indexOf(':');
            return Long.parseLong(colon < 0 ? id : id.substring(0, colon));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Epoch seconds when the server started, by the server's clock (its now minus its uptime; within a second or two). */
    private static long serverStart(Connection c) throws SQLException {
        long now;
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT UNIX_TIMESTAMP()")) {
            rs.next();
            now = rs.getLong(1);
        }
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SHOW GLOBAL STATUS LIKE 'Uptime'")) {
            rs.next();
            return now - Long.parseLong(rs.getString(2));
        }
    }

    /** Whether the recorded id is of this server's current lifetime (a record without a start time is trusted). */
    private static boolean sameServerLifetime(Connection c, String id) throws SQLException {
        int colon = id.indexOf(':');
        if (colon < 0) {
            return true;
        }
        try {
            return Math.abs(Long.parseLong(id.substring(colon + 1)) - serverStart(c)) <= 5;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}

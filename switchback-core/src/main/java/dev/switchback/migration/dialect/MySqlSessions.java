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
            return Long.toString(rs.getLong(1));
        }
    }

    @Override
    public String doing(Connection c, String id) throws SQLException {
        Long connection = parse(id);
        if (connection == null) {
            return null;
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT COMMAND, TIME, LEFT(INFO, 200) FROM information_schema.PROCESSLIST"
                + " WHERE ID = ? AND USER = SUBSTRING_INDEX(USER(), '@', 1)")) {
            ps.setLong(1, connection);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? "connection " + connection + ", " + rs.getString(1) + " for " + rs.getLong(2) + " s"
                        + (rs.getString(3) == null ? "" : ": " + rs.getString(3)) : null;
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
            return Long.parseLong(id);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}

package dev.switchback.migration.dialect;

import dev.switchback.migration.lock.DatabaseSessions;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** Backends by pid and start time (a pid alone is reused). */
final class PostgresSessions implements DatabaseSessions {
    private static final String START = "(extract(epoch FROM backend_start) * 1000000)::bigint";

    @Override
    public String idOf(Connection worker) throws SQLException {
        try (Statement st = worker.createStatement();
             ResultSet rs = st.executeQuery("SELECT pid, " + START + " FROM pg_stat_activity WHERE pid = pg_backend_pid()")) {
            return rs.next() ? rs.getLong(1) + "/" + rs.getLong(2) : null;
        }
    }

    @Override
    public String doing(Connection c, String id) throws SQLException {
        long[] parts = parse(id);
        if (parts == null) {
            return null;
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT state, left(query, 200) FROM pg_stat_activity WHERE pid = ? AND "
                + START + " = ?")) {
            ps.setLong(1, parts[0]);
            ps.setLong(2, parts[1]);
            try (ResultSet rs = ps.executeQuery()) {
                // an idle backend runs nothing that could apply twice (and may be back in an application's pool)
                if (!rs.next() || "idle".equals(rs.getString(1))) {
                    return null;
                }
                return "backend pid " + parts[0] + ", " + rs.getString(1) + ": " + rs.getString(2);
            }
        }
    }

    @Override
    public void end(Connection c, String id) throws SQLException {
        long[] parts = parse(id);
        if (parts == null) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid = ? AND "
                + START + " = ?")) {
            ps.setLong(1, parts[0]);
            ps.setLong(2, parts[1]);
            ps.execute();
        }
    }

    private static long[] parse(String id) {
        int slash = id.indexOf('/');
        try {
            return slash < 0 ? null : new long[]{Long.parseLong(id.substring(0, slash)), Long.parseLong(id.substring(slash + 1))};
        } catch (NumberFormatException e) {
            return null;
        }
    }
}

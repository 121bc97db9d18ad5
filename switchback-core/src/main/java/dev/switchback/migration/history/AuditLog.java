package dev.switchback.migration.history;

import dev.switchback.migration.dialect.Dialect;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;

/** {@code switchback_log}: every migrate, rollback, baseline, repair and unlock, with who, when and the outcome. */
public final class AuditLog {
    private final Dialect dialect;
    private final String table;
    private final String quoted;

    public AuditLog(Dialect dialect, String table) {
        this.dialect = dialect;
        this.table = table;
        this.quoted = dialect.quoteQualified(table);
    }

    public void create(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            for (String ddl : dialect.logTableDdl(table)) {
                st.execute(ddl);
            }
        }
    }

    public void append(Connection c, String action, String who, String versions, String outcome, String detail) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + quoted
                + " (logged_on, action, who, versions, outcome, detail) VALUES (?, ?, ?, ?, ?, ?)")) {
            dialect.bindTimestamp(ps, 1, Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
            ps.setString(2, action);
            ps.setString(3, who.length() > 200 ? who.substring(0, 200) : who);
            ps.setString(4, versions);
            ps.setString(5, outcome);
            ps.setString(6, detail);
            ps.executeUpdate();
        }
    }
}

package dev.switchback.migration.history;

import dev.switchback.migration.dialect.Dialect;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

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

    private static final String COLUMNS = "id, logged_on, action, who, versions, outcome, detail";

    /** Every row, oldest first, as the driver returns them; null when there is no log table. */
    public List<Object[]> rows(Connection c) throws SQLException {
        List<Object[]> out = new ArrayList<>();
        try (Statement st = c.createStatement(); java.sql.ResultSet rs = st.executeQuery("SELECT " + COLUMNS + " FROM " + quoted + " ORDER BY id")) {
            while (rs.next()) {
                Object[] row = new Object[7];
                for (int i = 0; i < row.length; i++) {
                    row[i] = rs.getObject(i + 1);
                }
                out.add(row);
            }
        } catch (SQLException e) {
            if (dialect.isUndefinedTable(e)) {
                return null;
            }
            throw e;
        }
        return out;
    }

    /** Makes the table hold exactly these rows, ids included, in one transaction; the id sequence continues after them. */
    public void replace(Connection c, List<Object[]> rows) throws SQLException {
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            create(c);
            try (Statement st = c.createStatement()) {
                st.executeUpdate("DELETE FROM " + quoted);
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + quoted + " (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                for (Object[] row : rows) {
                    for (int i = 0; i < row.length; i++) {
                        ps.setObject(i + 1, row[i]);
                    }
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            String reset = dialect.continueIdsSql(quoted);
            if (reset != null) {
                try (Statement st = c.createStatement()) {
                    st.execute(reset);
                }
            }
            c.commit();
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(auto);
        }
    }
}

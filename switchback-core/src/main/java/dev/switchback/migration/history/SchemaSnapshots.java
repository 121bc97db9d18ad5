package dev.switchback.migration.history;

import dev.switchback.migration.dialect.Dialect;
import dev.switchback.migration.schema.SchemaInspector;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;

/**
 * {@code switchback_schema}: the canonical schema as it was after each migrate or rollback that changed something,
 * with the fingerprint of the history it belongs to. The history table itself is not altered (its columns are read by
 * every start-up check, by other tools' importers and by older Switchback versions): a snapshot names its history by
 * that fingerprint instead, so a history changed afterwards (repair, baseline, import, a run without snapshots) makes
 * the snapshot stale rather than wrong. Only the newest row keeps its schema text; older rows keep version, hash and time.
 */
public final class SchemaSnapshots {
    /** The table's name beside a history table: in the same schema, when the history table's name is qualified. */
    public static String tableFor(String historyTable) {
        int dot = historyTable.lastIndexOf('.');
        return (dot < 0 ? "" : historyTable.substring(0, dot + 1)) + "switchback_schema";
    }

    /**
     * One stored snapshot; {@code schema} is the encoded text (see {@code SchemaText}); {@code catalog} the inspector's
     * catalog fingerprint taken with it, or null.
     */
    public record Snapshot(long id, String version, String hash, String history, String catalog, int format, Instant takenAt,
                           String schema) {
    }

    /**
     * The catalog fingerprint rides in the history column after this marker rather than in a column of its own, so a
     * table made by an earlier version needs no ALTER; an earlier version reading such a row sees another history and
     * replays (stale, never wrong).
     */
    private static final String CATALOG = " catalog:";

    /**
     * The inspectors' format ({@code SchemaInspector.FORMAT}) rides in the history column too, after this marker; a row
     * without one was written by format 1, the first.
     */
    private static final String FORMAT = " format:";

    private final Dialect dialect;
    private final String quoted;

    public SchemaSnapshots(Dialect dialect, String historyTable) {
        this.dialect = dialect;
        this.quoted = dialect.quoteQualified(tableFor(historyTable));
    }

    public void create(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("CREATE TABLE IF NOT EXISTS " + quoted + " (id " + dialect.autoIncrementKey() + ", version VARCHAR(50), "
                    + "hash VARCHAR(64) NOT NULL, history VARCHAR(200) NOT NULL, taken_at " + dialect.timestampType()
                    + " NOT NULL, schema_text " + dialect.textType() + ")" + dialect.tableSuffix());
        }
    }

    /** Stores a snapshot and drops the schema text of the older ones, in one transaction where the dialect has them. */
    public void save(Connection c, String version, String hash, String history, String schemaText) throws SQLException {
        save(c, version, hash, history, null, schemaText);
    }

    /** {@link #save(Connection, String, String, String, String)} with the catalog fingerprint (null: none). */
    public void save(Connection c, String version, String hash, String history, String catalog, String schemaText) throws SQLException {
        create(c);
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            try (Statement st = c.createStatement()) {
                st.executeUpdate("UPDATE " + quoted + " SET schema_text = NULL WHERE schema_text IS NOT NULL");
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + quoted
                    + " (version, hash, history, taken_at, schema_text) VALUES (?, ?, ?, ?, ?)")) {
                ps.setString(1, version);
                ps.setString(2, hash);
                ps.setString(3, history + FORMAT + SchemaInspector.FORMAT + (catalog == null ? "" : CATALOG + catalog));
                dialect.bindTimestamp(ps, 4, Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
                ps.setString(5, schemaText);
                ps.executeUpdate();
            }
            c.commit();
        } catch (SQLException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(auto);
        }
    }

    /**
     * The newest snapshot without its schema text ({@link Snapshot#schema()} null: a clean check needs only the hash,
     * see {@link #text}), or null when there is none (or no table yet).
     */
    public Snapshot latest(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT id, version, hash, history, taken_at "
                + "FROM " + quoted + " WHERE schema_text IS NOT NULL ORDER BY id DESC")) {
            if (!rs.next()) {
                return null;
            }
            String history = rs.getString(4);
            int catalogAt = history.indexOf(CATALOG);
            String catalog = catalogAt < 0 ? null : history.substring(catalogAt + CATALOG.length());
            history = catalogAt < 0 ? history : history.substring(0, catalogAt);
            int formatAt = history.indexOf(FORMAT);
            int format = formatAt < 0 ? 1 : format(history.substring(formatAt + FORMAT.length()));
            return new Snapshot(rs.getLong(1), rs.getString(2), rs.getString(3), formatAt < 0 ? history : history.substring(0, formatAt),
                    catalog, format, dialect.readTimestamp(rs, "taken_at"), null);
        } catch (SQLException e) {
            if (dialect.isUndefinedTable(e)) {
                if (!c.getAutoCommit()) {
                    c.rollback();
                }
                return null;
            }
            throw e;
        }
    }

    /** A format number as written, or 0 (no inspector's) when it is not one. */
    private static int format(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** The schema text of snapshot {@code id}, or null when it was dropped since. */
    public String text(Connection c, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT schema_text FROM " + quoted + " WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }
}

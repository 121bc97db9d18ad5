package dev.switchback.migration.schema;

import dev.switchback.migration.ErrorCode;
import dev.switchback.migration.SwitchbackException;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Reads the live schema from the catalog, one query per kind of object (not per table). */
public interface SchemaInspector {
    /**
     * The format of what the inspectors read and how they canonicalise it, stored with every snapshot. Raise it with any
     * change to an inspector that can change a schema's objects or hash: a snapshot of another format is then stale
     * (drift replays the history once) rather than reported as drift that is not there.
     */
    int FORMAT = 1;

    List<SchemaObject> read(Connection connection) throws SQLException;

    /**
     * A digest of the catalog rows {@link #read} depends on, computed by the server in one query, that changes whenever
     * one of them does (and may change when none did that matters); null when the dialect has none. Equal to the one
     * taken with a snapshot, the schema is the snapshot's without being read.
     */
    default String catalogFingerprint(Connection connection) throws SQLException {
        return null;
    }

    /** The schema on {@code connection} without the tables named {@code excludedTables} (Switchback's own). */
    default Schema inspect(Connection connection, Set<String> excludedTables) {
        try {
            return Schema.of(read(connection), excludedTables);
        } catch (SQLException e) {
            throw new SwitchbackException(ErrorCode.FAILED, "Cannot read the schema from the catalog: " + e.getMessage()
                    + " (SQLSTATE " + e.getSQLState() + "). The user needs read access to the catalog.", e);
        }
    }

    /** The inspector for a dialect named as {@code Dialect.name()} says it. */
    static SchemaInspector forDialect(String dialect) {
        return switch (dialect) {
            case "postgresql" -> new PostgresInspector();
            case "mariadb/mysql" -> new MariaDbInspector();
            case "sqlite" -> new SqliteInspector();
            default -> throw new SwitchbackException(ErrorCode.CONFIG, "No schema inspector for " + dialect
                    + "; supported: postgresql, mariadb/mysql, sqlite");
        };
    }

    /** A row of a catalog query. */
    interface Row {
        SchemaObject map(ResultSet rs) throws SQLException;
    }

    static void query(Connection c, String sql, List<SchemaObject> into, Row row) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                SchemaObject o = row.map(rs);
                if (o != null) {
                    into.add(o);
                }
            }
        }
    }

    static List<SchemaObject> list() {
        return new ArrayList<>();
    }
}

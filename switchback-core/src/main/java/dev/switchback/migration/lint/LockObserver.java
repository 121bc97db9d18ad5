package dev.switchback.migration.lint;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/** Reads, for the rehearsal's own backend, the relations that exist with their storage, and the locks held on them. */
final class LockObserver {
    /** A relation outside the system schemas: its name, pg_class.relkind and relfilenode (a new one means new storage). */
    record Relation(String name, String kind, long filenode) {
        boolean isTable() {
            return kind.equals("r") || kind.equals("p") || kind.equals("m");
        }

        String describe() {
            return name + switch (kind) {
                case "i", "I" -> " (index)";
                case "m" -> " (materialized view)";
                default -> "";
            };
        }
    }

    private static final String RELATIONS = "SELECT c.oid, c.relname, c.relkind, c.relfilenode FROM pg_class c "
            + "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') "
            + "AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%' "
            + "AND c.relkind IN ('r', 'p', 'm', 'i', 'I', 'S', 'v', 'f')";
    // granted locks only: a rehearsal never waits, the scratch database has no other sessions
    private static final String LOCKS = "SELECT relation, mode FROM pg_locks WHERE pid = pg_backend_pid() "
            + "AND locktype = 'relation' AND granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())";

    private LockObserver() {
    }

    static Map<Long, Relation> relations(Connection c) throws SQLException {
        Map<Long, Relation> out = new HashMap<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(RELATIONS)) {
            while (rs.next()) {
                out.put(rs.getLong(1), new Relation(rs.getString(2), rs.getString(3), rs.getLong(4)));
            }
        }
        return out;
    }

    /** The locks this backend holds on relations in {@code existing} (locks on objects created since are left out). */
    static Set<RelationLock> locks(Connection c, Map<Long, Relation> existing) throws SQLException {
        Set<RelationLock> out = new LinkedHashSet<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(LOCKS)) {
            while (rs.next()) {
                Relation r = existing.get(rs.getLong(1));
                if (r != null) {
                    out.add(new RelationLock(r.name(), rs.getString(2)));
                }
            }
        }
        return out;
    }
}

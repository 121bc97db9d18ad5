package dev.switchback.migration.lint;

import dev.switchback.migration.ErrorCode;
import dev.switchback.migration.SwitchbackException;
import dev.switchback.migration.sql.SqlFlavor;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What exists in the database a migrate run starts from: the names of its tables, views, indexes, sequences, types and
 * schemas, and the columns of its tables. A destructive statement is only a risk to the serving release when what it
 * drops or renames is here (or got here by a rename earlier in the run); a fresh database has none of it. Names are
 * matched case-insensitively by their last part, as {@link Name} does: a false match only makes lint more cautious.
 */
final class LiveCatalog {
    private static final String PG_SYSTEM = "('pg_catalog', 'information_schema')";
    private static final String PG_NAMES = "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            + "WHERE n.nspname NOT IN " + PG_SYSTEM + " AND n.nspname NOT LIKE 'pg\\_toast%' "
            // every object once (UNION ALL: two schemas' orders are two objects), a table's own row type not again
            + "UNION ALL SELECT t.typname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE n.nspname NOT IN "
            + PG_SYSTEM + " AND t.typrelid = 0 UNION ALL SELECT nspname FROM pg_namespace";
    private static final String PG_COLUMNS = "SELECT c.relname, a.attname FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid "
            + "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE a.attnum > 0 AND NOT a.attisdropped AND n.nspname NOT IN " + PG_SYSTEM;
    private static final String MYSQL_NAMES = "SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE() "
            + "UNION SELECT index_name FROM information_schema.statistics WHERE table_schema = DATABASE() "
            + "UNION SELECT schema_name FROM information_schema.schemata";
    private static final String MYSQL_COLUMNS = "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = DATABASE()";
    private static final String SQLITE_NAMES = "SELECT name FROM sqlite_master";
    private static final String SQLITE_COLUMNS = "SELECT m.name, p.name FROM sqlite_master m, pragma_table_info(m.name) p "
            + "WHERE m.type IN ('table', 'view')";

    /** How many live objects have each (unqualified) name: dropping one of two same-named objects leaves the other. */
    private final Map<String, Integer> names = new HashMap<>();
    private final Map<String, Set<String>> columns;
    /** MySQL: the database unqualified names are in; a name qualified with another one is not looked up. */
    private final String currentSchema;

    LiveCatalog(java.util.Collection<String> names, Map<String, Set<String>> columns, String currentSchema) {
        names.forEach(n -> this.names.merge(n, 1, Integer::sum));
        this.columns = new HashMap<>(columns);
        this.currentSchema = currentSchema;
    }

    /** Reads the catalog of the database {@code c} is connected to. */
    static LiveCatalog read(Connection c, SqlFlavor flavor) {
        String namesSql = switch (flavor) {
            case POSTGRES -> PG_NAMES;
            case MYSQL -> MYSQL_NAMES;
            case SQLITE -> SQLITE_NAMES;
        };
        String columnsSql = switch (flavor) {
            case POSTGRES -> PG_COLUMNS;
            case MYSQL -> MYSQL_COLUMNS;
            case SQLITE -> SQLITE_COLUMNS;
        };
        List<String> names = new java.util.ArrayList<>();
        Map<String, Set<String>> columns = new HashMap<>();
        try (Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery(namesSql)) {
                while (rs.next()) {
                    names.add(key(rs.getString(1)));
                }
            }
            try (ResultSet rs = st.executeQuery(columnsSql)) {
                while (rs.next()) {
                    columns.computeIfAbsent(key(rs.getString(1)), k -> new HashSet<>()).add(key(rs.getString(2)));
                }
            }
            return new LiveCatalog(names, columns, flavor == SqlFlavor.MYSQL ? key(c.getCatalog()) : null);
        } catch (SQLException e) {
            throw new SwitchbackException(ErrorCode.FAILED, "Lint cannot read which tables and columns the database has: "
                    + e.getMessage() + ". The migration user needs to read the catalog (information_schema, pg_catalog).", e);
        }
    }

    private static String key(String name) {
        return name == null ? "" : name.toLowerCase(Locale.ROOT);
    }

    /** Whether the object exists; a MySQL name qualified with another database cannot be told, so it counts as existing. */
    boolean has(Name name) {
        if (currentSchema != null && name.parts().size() > 1 && !key(name.parts().get(name.parts().size() - 2)).equals(currentSchema)) {
            return true;
        }
        return names.getOrDefault(name.key(), 0) > 0;
    }

    boolean hasColumn(Name table, String column) {
        return has(table) && columns.getOrDefault(table.key(), Set.of()).contains(key(column));
    }

    /** A live object renamed by a migration of the run is live under its new name, with its columns. */
    void renamed(Name from, Name to) {
        if (has(from)) {
            boolean last = drop(from.key());
            names.merge(to.key(), 1, Integer::sum);
            Set<String> cols = last ? columns.remove(from.key()) : columns.get(from.key());
            if (cols != null) {
                columns.put(to.key(), new HashSet<>(cols));
            }
        }
    }

    void renamedColumn(Name table, String from, String to) {
        if (hasColumn(table, from)) {
            Set<String> cols = columns.get(table.key());
            cols.remove(key(from));
            cols.add(key(to));
        }
    }

    /** What a migration of the run dropped is not there for the later ones. */
    void dropped(Name name) {
        if (drop(name.key())) {
            columns.remove(name.key());
        }
    }

    /** One object of that name fewer; true when it was the last. */
    private boolean drop(String key) {
        Integer n = names.get(key);
        if (n == null || n <= 1) {
            names.remove(key);
            return true;
        }
        names.put(key, n - 1);
        return false;
    }

    void droppedColumn(Name table, String column) {
        columns.getOrDefault(table.key(), new HashSet<>()).remove(key(column));
    }
}

package dev.switchback.migration.schema;

import dev.switchback.migration.schema.SchemaObject.Kind;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * SQLite: tables through {@code pragma_table_xinfo}, {@code pragma_foreign_key_list} and {@code pragma_index_list} (so a
 * column dropped by a table rebuild shows as a column, not as a changed text); indexes, views and triggers by their
 * stored SQL, whitespace collapsed; CHECK constraints, which live only in the table's text, read from it by
 * {@link SqliteChecks}.
 */
final class SqliteInspector implements SchemaInspector {
    private static final String TABLES = " FROM sqlite_schema m JOIN %s p WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite\\_%%' ESCAPE '\\'";

    static String q(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }

    private static String normalised(String sql) {
        return sql == null ? null : sql.strip().replaceAll("\\s+", " ").replaceAll(";$", "");
    }

    @Override
    public List<SchemaObject> read(Connection c) throws SQLException {
        List<SchemaObject> all = SchemaInspector.list();
        SchemaInspector.query(c, "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'",
                all, rs -> new SchemaObject(Kind.TABLE, null, rs.getString(1), "table", null, "DROP TABLE " + q(rs.getString(1))));
        SchemaInspector.query(c, "SELECT m.name, p.name, p.type, p.\"notnull\", p.dflt_value, p.hidden, p.pk" + String.format(TABLES,
                "pragma_table_xinfo(m.name)"), all, rs -> {
            String type = rs.getString(3);
            String def = (type.isEmpty() ? "(no type)" : type) + (rs.getBoolean(4) ? " NOT NULL" : " NULL")
                    + PostgresInspector.optional(" DEFAULT ", rs.getString(5))
                    + (rs.getInt(6) == 2 ? " GENERATED VIRTUAL" : rs.getInt(6) == 3 ? " GENERATED STORED" : "")
                    + (rs.getInt(7) > 0 ? " PRIMARY KEY #" + rs.getInt(7) : "");
            String add = type + (rs.getBoolean(4) ? " NOT NULL" : "") + PostgresInspector.optional(" DEFAULT ", rs.getString(5));
            return new SchemaObject(Kind.COLUMN, rs.getString(1), rs.getString(2), def,
                    rs.getInt(6) >= 2 ? null : "ALTER TABLE " + q(rs.getString(1)) + " ADD COLUMN " + q(rs.getString(2)) + " " + add.strip(),
                    "ALTER TABLE " + q(rs.getString(1)) + " DROP COLUMN " + q(rs.getString(2)));
        });
        // foreign keys have no names: one is known by its columns and what it references
        SchemaInspector.query(c, "SELECT m.name, group_concat(p.\"from\", ', '), p.\"table\", group_concat(p.\"to\", ', '), "
                + "max(p.on_update), max(p.on_delete)" + String.format(TABLES, "pragma_foreign_key_list(m.name)")
                + " GROUP BY m.name, p.id", all, rs -> SchemaObject.of(Kind.CONSTRAINT, rs.getString(1),
                "foreign key (" + rs.getString(2) + ")", "REFERENCES " + rs.getString(3) + " (" + rs.getString(4) + ") ON UPDATE "
                        + rs.getString(5) + " ON DELETE " + rs.getString(6)));
        // unique constraints and primary keys backed by an automatic index
        SchemaInspector.query(c, "SELECT m.name, p.origin, group_concat(i.name, ', ')" + String.format(TABLES,
                "pragma_index_list(m.name)").replace(" WHERE", " JOIN pragma_index_info(p.name) i WHERE")
                + " AND p.origin <> 'c' GROUP BY m.name, p.name", all, rs -> {
            String kind = rs.getString(2).equals("pk") ? "primary key" : "unique";
            return SchemaObject.of(Kind.CONSTRAINT, rs.getString(1), kind + " (" + rs.getString(3) + ")", kind);
        });
        // SQLite cannot add or drop a check on an existing table: the resolution says so, it does not guess
        try (java.sql.Statement st = c.createStatement(); java.sql.ResultSet rs = st.executeQuery("SELECT name, sql FROM sqlite_schema "
                + "WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'")) {
            while (rs.next()) {
                for (SqliteChecks.Check k : SqliteChecks.of(rs.getString(2))) {
                    all.add(SchemaObject.of(Kind.CONSTRAINT, rs.getString(1), k.name(), "CHECK (" + k.expression() + ")"));
                }
            }
        }
        SchemaInspector.query(c, "SELECT type, tbl_name, name, sql FROM sqlite_schema WHERE type IN ('index', 'view', 'trigger') "
                + "AND sql IS NOT NULL AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'", all, rs -> {
            String sql = normalised(rs.getString(4));
            return switch (rs.getString(1)) {
                case "index" -> new SchemaObject(Kind.INDEX, rs.getString(2), rs.getString(3), sql, sql, "DROP INDEX " + q(rs.getString(3)));
                case "view" -> new SchemaObject(Kind.VIEW, null, rs.getString(3), sql, sql, "DROP VIEW " + q(rs.getString(3)));
                default -> new SchemaObject(Kind.TRIGGER, rs.getString(2), rs.getString(3), sql, sql, "DROP TRIGGER " + q(rs.getString(3)));
            };
        });
        return all;
    }
}

package dev.switchback.migration.schema;

import dev.switchback.migration.schema.SchemaObject.Kind;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * MariaDB/MySQL: the current database from {@code information_schema}. Counters (AUTO_INCREMENT values) and the
 * database's own name inside view definitions are left out, so a copy elsewhere compares equal. Events are not read.
 */
final class MariaDbInspector implements SchemaInspector {
    private static final String HERE = " = DATABASE()";

    static String q(String name) {
        return "`" + name.replace("`", "``") + "`";
    }

    @Override
    public List<SchemaObject> read(Connection c) throws SQLException {
        List<SchemaObject> all = SchemaInspector.list();
        String database;
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT DATABASE()")) {
            rs.next();
            database = rs.getString(1);
        }
        // each information_schema table read once and joined here: a join between two of them makes the server open
        // every table again for each row of the other (seconds for a thousand tables)
        Map<String, String> collations = new HashMap<>();
        SchemaInspector.query(c, "SELECT table_name, engine, table_collation, table_comment FROM information_schema.tables "
                + "WHERE table_type = 'BASE TABLE' AND table_schema" + HERE, all, rs -> {
            collations.put(rs.getString(1), rs.getString(3));
            return new SchemaObject(Kind.TABLE, null,
                    rs.getString(1), "table engine " + rs.getString(2) + " collate " + rs.getString(3)
                    + (rs.getString(4).isEmpty() ? "" : " comment '" + rs.getString(4).replace("'", "''") + "'"),
                    null, "DROP TABLE " + q(rs.getString(1)));
        });
        SchemaInspector.query(c, "SELECT table_name, column_name, column_type, is_nullable, column_default, extra, "
                + "collation_name, generation_expression, column_comment FROM information_schema.columns "
                + "WHERE table_schema" + HERE, all, rs -> collations.containsKey(rs.getString(1))
                ? column(rs, collations.get(rs.getString(1))) : null);
        Map<String, String[]> rules = new HashMap<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT table_name, constraint_name, update_rule, "
                + "delete_rule FROM information_schema.referential_constraints WHERE constraint_schema" + HERE)) {
            while (rs.next()) {
                rules.put(rs.getString(1) + "\u0000" + rs.getString(2), new String[]{rs.getString(3), rs.getString(4)});
            }
        }
        SchemaInspector.query(c, "SELECT table_name, index_name, MAX(non_unique), MAX(index_type), "
                + "GROUP_CONCAT(CONCAT('`', REPLACE(column_name, '`', '``'), '`', IFNULL(CONCAT('(', sub_part, ')'), '')) "
                + "ORDER BY seq_in_index SEPARATOR ', ') FROM information_schema.statistics WHERE table_schema" + HERE
                + " GROUP BY table_name, index_name", all, rs -> {
            String table = rs.getString(1);
            String name = rs.getString(2);
            String kind = name.equals("PRIMARY") ? "PRIMARY KEY" : rs.getInt(3) == 0 ? "UNIQUE INDEX " + q(name)
                    : rs.getString(4).equals("FULLTEXT") || rs.getString(4).equals("SPATIAL") ? rs.getString(4) + " INDEX " + q(name)
                    : "INDEX " + q(name);
            String def = kind + " (" + rs.getString(5) + ")" + (rs.getString(4).equals("BTREE") || rs.getString(4).equals("FULLTEXT")
                    || rs.getString(4).equals("SPATIAL") ? "" : " USING " + rs.getString(4));
            return new SchemaObject(Kind.INDEX, table, name, def, "ALTER TABLE " + q(table) + " ADD " + def,
                    "ALTER TABLE " + q(table) + " DROP " + (name.equals("PRIMARY") ? "PRIMARY KEY" : "INDEX " + q(name)));
        });
        SchemaInspector.query(c, "SELECT k.table_name, k.constraint_name, GROUP_CONCAT(CONCAT('`', k.column_name, '`') ORDER BY "
                + "k.ordinal_position SEPARATOR ', '), k.referenced_table_name, GROUP_CONCAT(CONCAT('`', k.referenced_column_name, '`') "
                + "ORDER BY k.ordinal_position SEPARATOR ', ') FROM information_schema.key_column_usage k "
                + "WHERE k.referenced_table_name IS NOT NULL AND k.table_schema" + HERE + " GROUP BY k.table_name, k.constraint_name, "
                + "k.referenced_table_name", all, rs -> {
            String[] rule = rules.get(rs.getString(1) + "\u0000" + rs.getString(2));
            if (rule == null) {
                return null;
            }
            String def = "FOREIGN KEY (" + rs.getString(3) + ") REFERENCES " + q(rs.getString(4)) + " (" + rs.getString(5) + ")"
                    + " ON UPDATE " + rule[0] + " ON DELETE " + rule[1];
            return new SchemaObject(Kind.CONSTRAINT, rs.getString(1), rs.getString(2), def,
                    "ALTER TABLE " + q(rs.getString(1)) + " ADD CONSTRAINT " + q(rs.getString(2)) + " " + def,
                    "ALTER TABLE " + q(rs.getString(1)) + " DROP FOREIGN KEY " + q(rs.getString(2)));
        });
        // a column's own CHECK (col INT CHECK (...)) is listed with level Column and belongs to the column's type; compared all the same
        SchemaInspector.query(c, "SELECT table_name, constraint_name, check_clause FROM information_schema.check_constraints "
                + "WHERE constraint_schema" + HERE, all, rs -> new SchemaObject(Kind.CONSTRAINT, rs.getString(1), rs.getString(2),
                "CHECK (" + rs.getString(3) + ")", "ALTER TABLE " + q(rs.getString(1)) + " ADD CONSTRAINT " + q(rs.getString(2))
                + " CHECK (" + rs.getString(3) + ")", "ALTER TABLE " + q(rs.getString(1)) + " DROP CONSTRAINT " + q(rs.getString(2))));
        String ownName = q(database) + ".";
        SchemaInspector.query(c, "SELECT table_name, view_definition FROM information_schema.views WHERE table_schema" + HERE, all,
                rs -> {
                    String def = rs.getString(2).replace(ownName, "");
                    return new SchemaObject(Kind.VIEW, null, rs.getString(1), def, "CREATE VIEW " + q(rs.getString(1)) + " AS " + def,
                            "DROP VIEW " + q(rs.getString(1)));
                });
        SchemaInspector.query(c, "SELECT routine_name, routine_type, dtd_identifier, routine_definition FROM information_schema.routines "
                + "WHERE routine_schema" + HERE, all, rs -> new SchemaObject(Kind.FUNCTION, null, rs.getString(1) + "()",
                rs.getString(2).toLowerCase() + PostgresInspector.optional(" returns ", rs.getString(3)) + "\n"
                        + rs.getString(4).replace(ownName, ""),
                null, "DROP " + rs.getString(2) + " " + q(rs.getString(1))));
        SchemaInspector.query(c, "SELECT event_object_table, trigger_name, action_timing, event_manipulation, action_statement "
                + "FROM information_schema.triggers WHERE trigger_schema" + HERE, all, rs -> {
            String def = rs.getString(3) + " " + rs.getString(4) + " ON " + q(rs.getString(1)) + " FOR EACH ROW " + rs.getString(5).replace(ownName, "");
            return new SchemaObject(Kind.TRIGGER, rs.getString(1), rs.getString(2), def,
                    "CREATE TRIGGER " + q(rs.getString(2)) + " " + def, "DROP TRIGGER " + q(rs.getString(2)));
        });
        // the schedule without STARTS and EXECUTE AT: both default to the moment of creation, which a replay cannot repeat
        SchemaInspector.query(c, "SELECT event_name, event_type, interval_value, interval_field, on_completion, status, "
                + "event_definition FROM information_schema.events WHERE event_schema" + HERE, all, rs -> {
            boolean recurring = "RECURRING".equals(rs.getString(2));
            String schedule = recurring ? "EVERY " + rs.getString(3).replace("'", "") + " " + rs.getString(4) : "AT (one time)";
            String body = rs.getString(7).replace(ownName, "");
            String def = "ON SCHEDULE " + schedule + " ON COMPLETION " + rs.getString(5) + " " + rs.getString(6) + " DO " + body;
            String status = rs.getString(6).equals("SLAVESIDE_DISABLED") ? "DISABLE ON SLAVE" : rs.getString(6).equals("DISABLED")
                    ? "DISABLE" : "ENABLE";
            return new SchemaObject(Kind.EVENT, null, rs.getString(1), def, recurring ? "CREATE EVENT " + q(rs.getString(1))
                    + " ON SCHEDULE " + schedule + " ON COMPLETION " + rs.getString(5) + " " + status + " DO " + body : null,
                    "DROP EVENT " + q(rs.getString(1)));
        });
        return all;
    }

    private static SchemaObject column(ResultSet rs, String tableCollation) throws SQLException {
        String table = rs.getString(1);
        String name = rs.getString(2);
        String extra = rs.getString(6) == null ? "" : rs.getString(6).toLowerCase();
        String generated = rs.getString(8);
        String dflt = rs.getString(5);
        StringBuilder def = new StringBuilder(rs.getString(3));
        String collation = rs.getString(7);
        if (collation != null && !collation.equals(tableCollation)) {
            def.append(" COLLATE ").append(collation);
        }
        if (generated != null && !generated.isEmpty()) {
            def.append(" AS (").append(generated).append(extra.contains("stored") ? ") STORED" : ") VIRTUAL");
        } else {
            def.append("NO".equals(rs.getString(4)) ? " NOT NULL" : " NULL");
            if (dflt != null && !(dflt.equals("NULL") && !"NO".equals(rs.getString(4)))) {
                def.append(" DEFAULT ").append(dflt);
            }
            if (extra.contains("auto_increment")) {
                def.append(" AUTO_INCREMENT");
            }
            int onUpdate = extra.indexOf("on update ");
            if (onUpdate >= 0) {
                def.append(" ON UPDATE ").append(extra.substring(onUpdate + 10).strip());
            }
        }
        String comment = rs.getString(9);
        if (comment != null && !comment.isEmpty()) {
            def.append(" COMMENT '").append(comment.replace("'", "''")).append("'");
        }
        return new SchemaObject(Kind.COLUMN, table, name, def.toString(),
                "ALTER TABLE " + q(table) + " ADD COLUMN " + q(name) + " " + def, "ALTER TABLE " + q(table) + " DROP COLUMN " + q(name));
    }
}

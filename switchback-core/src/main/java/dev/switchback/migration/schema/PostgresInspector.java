package dev.switchback.migration.schema;

import dev.switchback.migration.schema.SchemaObject.Kind;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/**
 * PostgreSQL: every schema but the system ones, objects that belong to an extension left out (the extension stands for
 * them). Names in the {@code public} schema are shown bare, others qualified.
 */
final class PostgresInspector implements SchemaInspector {
    private static final String USER_SCHEMA = "n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'";

    /** The display name and the quoted name of {@code object} in the schema joined as {@code nsp}. */
    private static String names(String nsp, String object) {
        return "CASE WHEN " + nsp + ".nspname = 'public' THEN " + object + " ELSE " + nsp + ".nspname || '.' || " + object + " END AS name, "
                + "CASE WHEN " + nsp + ".nspname = 'public' THEN quote_ident(" + object + ") ELSE quote_ident(" + nsp
                + ".nspname) || '.' || quote_ident(" + object + ") END AS q";
    }

    private static String tableName(String nsp, String object) {
        return "CASE WHEN " + nsp + ".nspname = 'public' THEN " + object + " ELSE " + nsp + ".nspname || '.' || " + object + " END";
    }

    /** With its catalog named, pg_depend's index finds the object's dependencies (without, each row scans pg_depend). */
    private static String notInExtension(String oid) {
        String catalog = oid.startsWith("p.") ? "pg_proc" : oid.startsWith("t.") ? "pg_type" : "pg_class";
        return "NOT EXISTS (SELECT 1 FROM pg_depend x WHERE x.classid = '" + catalog + "'::regclass AND x.objid = " + oid
                + " AND x.deptype = 'e')";
    }

    private static final String FROM_TABLES = " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p') AND "
            + USER_SCHEMA + " AND " + notInExtension("c.oid");

    /**
     * Every catalog the queries below read, as the sorted xmin of its rows: an insert or update gives a row the xid of a
     * transaction newer than every existing row's, so the multiset of xmins comes back only when every row does. The
     * flags an index build may set in place (without a new xmin) are hashed as values; the roles by name (policies show
     * them); search_path and the server version shape the definitions the server prints. A VACUUM FREEZE or a catalog
     * rewrite changes it without a schema change: drift then reads the schema in full, as without a fingerprint.
     * Each catalog's xmins are counted per xmin first and the list spelled out from the groups: the same text as
     * {@code string_agg(xmin::text, ',' ORDER BY xmin::text::bigint)} over the rows (so snapshots taken before keep
     * their fingerprint), with a text conversion and a sort per transaction instead of per row; a status or no-op
     * migrate waited about a fifth less for it with 2,000 tables (88 to 68 ms here, over 100,000 catalog rows).
     */
    private static final String FINGERPRINT;

    static {
        StringBuilder q = new StringBuilder("SELECT md5(current_setting('server_version_num') || '|' || current_setting('search_path')");
        for (String catalog : List.of("pg_namespace", "pg_class", "pg_attribute", "pg_attrdef", "pg_constraint", "pg_index",
                "pg_rewrite", "pg_sequence", "pg_type", "pg_enum", "pg_extension", "pg_proc", "pg_trigger", "pg_policy",
                "pg_description", "pg_collation", "pg_inherits", "pg_depend")) {
            q.append(" || '|").append(catalog).append("' || (SELECT coalesce(sum(n), 0) || ':' || coalesce(md5(string_agg(")
                    .append("rtrim(repeat(x::text || ',', n::int), ','), ',' ORDER BY x::text::bigint)), '') FROM (SELECT xmin AS x, ")
                    .append("count(*) AS n FROM ").append(catalog).append(" GROUP BY xmin) g)");
        }
        q.append(" || '|' || (SELECT coalesce(md5(string_agg(indexrelid || ':' || indisvalid || indisready || indislive, ',' ")
                .append("ORDER BY indexrelid)), '') FROM pg_index)");
        q.append(" || '|' || (SELECT coalesce(md5(string_agg(oid || ':' || rolname, ',' ORDER BY oid)), '') FROM pg_roles))");
        FINGERPRINT = q.toString();
    }

    @Override
    public String catalogFingerprint(Connection c) throws SQLException {
        try (java.sql.Statement st = c.createStatement(); ResultSet rs = st.executeQuery(FINGERPRINT)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    @Override
    public List<SchemaObject> read(Connection c) throws SQLException {
        List<SchemaObject> all = SchemaInspector.list();
        SchemaInspector.query(c, "SELECT " + names("n", "c.relname") + ", c.relpersistence, c.relrowsecurity, "
                + "CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END AS partkey, "
                + "CASE WHEN c.relispartition THEN (SELECT " + tableName("pn", "p.relname") + " FROM pg_inherits i JOIN pg_class p "
                + "ON p.oid = i.inhparent JOIN pg_namespace pn ON pn.oid = p.relnamespace WHERE i.inhrelid = c.oid LIMIT 1) || ' '"
                + " || pg_get_expr(c.relpartbound, c.oid) END AS partof, obj_description(c.oid, 'pg_class') AS comment"
                + FROM_TABLES, all, rs -> new SchemaObject(Kind.TABLE, null, rs.getString("name"),
                (rs.getString("relpersistence").equals("u") ? "unlogged " : "") + "table"
                        + optional(" partition by ", rs.getString("partkey")) + optional(" partition of ", rs.getString("partof"))
                        + (rs.getBoolean("relrowsecurity") ? " row level security" : "") + comment(rs),
                partitioned(rs) ? null : "CREATE " + (rs.getString("relpersistence").equals("u") ? "UNLOGGED " : "") + "TABLE "
                        + rs.getString("q") + " ()" + (rs.getBoolean("relrowsecurity") ? ";\nALTER TABLE " + rs.getString("q")
                        + " ENABLE ROW LEVEL SECURITY" : "") + commentOn("TABLE " + rs.getString("q"), rs),
                "DROP TABLE " + rs.getString("q")));
        columns(c, all);
        SchemaInspector.query(c, "SELECT " + names("n", "c.relname") + ", con.conname, quote_ident(con.conname) AS qcon, "
                + "pg_get_constraintdef(con.oid) AS def FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid "
                + "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE con.contype IN ('p', 'u', 'f', 'c', 'x') AND "
                + USER_SCHEMA + " AND " + notInExtension("c.oid"), all, rs -> new SchemaObject(Kind.CONSTRAINT, rs.getString("name"),
                rs.getString("conname"), rs.getString("def"),
                "ALTER TABLE " + rs.getString("q") + " ADD CONSTRAINT " + rs.getString("qcon") + " " + rs.getString("def"),
                "ALTER TABLE " + rs.getString("q") + " DROP CONSTRAINT " + rs.getString("qcon")));
        // indexes that back a primary key, unique or exclusion constraint are that constraint
        SchemaInspector.query(c, "SELECT " + tableName("n", "c.relname") + " AS tbl, " + names("n", "i.relname")
                + ", pg_get_indexdef(i.oid) AS def, x.indisvalid FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid "
                + "JOIN pg_class c ON c.oid = x.indrelid JOIN pg_namespace n ON n.oid = i.relnamespace WHERE " + USER_SCHEMA
                + " AND " + notInExtension("c.oid") + " AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid "
                + "AND k.conrelid = x.indrelid AND k.contype IN ('p', 'u', 'x'))", all, rs -> new SchemaObject(Kind.INDEX,
                rs.getString("tbl"), rs.getString("name"), rs.getString("def") + (rs.getBoolean("indisvalid") ? "" : " INVALID"),
                rs.getString("def"), "DROP INDEX " + rs.getString("q")));
        SchemaInspector.query(c, "SELECT " + names("n", "c.relname") + ", c.relkind, pg_get_viewdef(c.oid, true) AS def "
                + "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('v', 'm') AND " + USER_SCHEMA
                + " AND " + notInExtension("c.oid"), all, rs -> {
            String kind = rs.getString("relkind").equals("m") ? "MATERIALIZED VIEW " : "VIEW ";
            String def = rs.getString("def").strip().replaceAll(";$", "");
            return new SchemaObject(Kind.VIEW, null, rs.getString("name"), kind.toLowerCase() + "as " + def,
                    "CREATE " + kind + rs.getString("q") + " AS " + def, "DROP " + kind + rs.getString("q"));
        });
        typesAndSequences(c, all);
        routines(c, all);
        return all;
    }

    private static void columns(Connection c, List<SchemaObject> all) throws SQLException {
        SchemaInspector.query(c, "SELECT " + names("n", "c.relname") + ", a.attname, quote_ident(a.attname) AS qcol, "
                + "format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull, pg_get_expr(d.adbin, d.adrelid) AS dflt, "
                + "a.attidentity, a.attgenerated, CASE WHEN a.attcollation <> t.typcollation THEN quote_ident(co.collname) END AS coll, "
                + "col_description(c.oid, a.attnum) AS comment FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid "
                + "JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_type t ON t.oid = a.atttypid "
                + "LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum "
                + "LEFT JOIN pg_collation co ON co.oid = a.attcollation WHERE a.attnum > 0 AND NOT a.attisdropped "
                + "AND c.relkind IN ('r', 'p') AND " + USER_SCHEMA + " AND " + notInExtension("c.oid"), all, rs -> {
            String dflt = rs.getString("dflt");
            String generated = switch (rs.getString("attgenerated") + rs.getString("attidentity")) {
                case "s" -> " GENERATED ALWAYS AS (" + dflt + ") STORED";
                case "a" -> " GENERATED ALWAYS AS IDENTITY";
                case "d" -> " GENERATED BY DEFAULT AS IDENTITY";
                default -> optional(" DEFAULT ", dflt);
            };
            String type = rs.getString("type") + optional(" COLLATE ", rs.getString("coll"));
            boolean notNull = rs.getBoolean("attnotnull");
            return new SchemaObject(Kind.COLUMN, rs.getString("name"), rs.getString("attname"),
                    type + (notNull ? " NOT NULL" : " NULL") + generated + comment(rs),
                    "ALTER TABLE " + rs.getString("q") + " ADD COLUMN " + rs.getString("qcol") + " " + type
                            + (notNull ? " NOT NULL" : "") + generated + serialOwnership(dflt, rs.getString("q") + "." + rs.getString("qcol"))
                            + commentOn("COLUMN " + rs.getString("q") + "." + rs.getString("qcol"), rs),
                    "ALTER TABLE " + rs.getString("q") + " DROP COLUMN " + rs.getString("qcol"));
        });
    }

    private static void typesAndSequences(Connection c, List<SchemaObject> all) throws SQLException {
        // counters (start, last value) change on their own and are not compared
        SchemaInspector.query(c, "SELECT " + names("n", "c.relname") + ", format_type(s.seqtypid, NULL) AS type, s.seqincrement, "
                + "s.seqmin, s.seqmax, s.seqcycle, (SELECT " + tableName("o_n", "o.relname") + " FROM pg_depend d JOIN pg_class o "
                + "ON o.oid = d.refobjid JOIN pg_namespace o_n ON o_n.oid = o.relnamespace WHERE d.objid = c.oid "
                + "AND d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i') LIMIT 1) AS owner, EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid "
                + "AND d.classid = 'pg_class'::regclass AND d.deptype = 'i') AS identity "
                + "FROM pg_sequence s JOIN pg_class c ON c.oid = s.seqrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE "
                + USER_SCHEMA + " AND " + notInExtension("c.oid"), all, rs -> {
            String def = "AS " + rs.getString("type") + " INCREMENT " + rs.getLong("seqincrement") + " MINVALUE " + rs.getLong("seqmin")
                    + " MAXVALUE " + rs.getLong("seqmax") + (rs.getBoolean("seqcycle") ? " CYCLE" : "");
            String owner = rs.getString("owner");
            // an identity's sequence comes and goes with its column; a serial's is created before the column whose default uses it
            boolean identity = rs.getBoolean("identity");
            return new SchemaObject(Kind.SEQUENCE, owner, rs.getString("name"), def,
                    identity ? null : "CREATE SEQUENCE " + rs.getString("q") + " " + def,
                    owner == null ? "DROP SEQUENCE " + rs.getString("q") : null);
        });
        SchemaInspector.query(c, "SELECT " + names("n", "t.typname") + ", string_agg(quote_literal(e.enumlabel), ', ' "
                + "ORDER BY e.enumsortorder) AS labels FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace "
                + "JOIN pg_enum e ON e.enumtypid = t.oid WHERE " + USER_SCHEMA + " AND " + notInExtension("t.oid")
                + " GROUP BY n.nspname, t.typname", all, rs -> new SchemaObject(Kind.TYPE, null, rs.getString("name"),
                "enum (" + rs.getString("labels") + ")", "CREATE TYPE " + rs.getString("q") + " AS ENUM (" + rs.getString("labels") + ")",
                "DROP TYPE " + rs.getString("q")));
        SchemaInspector.query(c, "SELECT " + names("n", "t.typname") + ", format_type(t.typbasetype, t.typtypmod) AS base, "
                + "t.typnotnull, t.typdefault, (SELECT string_agg(pg_get_constraintdef(k.oid), ' ' ORDER BY k.conname) "
                + "FROM pg_constraint k WHERE k.contypid = t.oid) AS checks FROM pg_type t JOIN pg_namespace n "
                + "ON n.oid = t.typnamespace WHERE t.typtype = 'd' AND " + USER_SCHEMA + " AND " + notInExtension("t.oid"), all, rs -> {
            String def = rs.getString("base") + optional(" DEFAULT ", rs.getString("typdefault"))
                    + (rs.getBoolean("typnotnull") ? " NOT NULL" : "") + optional(" ", rs.getString("checks"));
            return new SchemaObject(Kind.TYPE, null, rs.getString("name"), "domain " + def,
                    "CREATE DOMAIN " + rs.getString("q") + " AS " + def, "DROP DOMAIN " + rs.getString("q"));
        });
        SchemaInspector.query(c, "SELECT e.extname, e.extversion, n.nspname FROM pg_extension e JOIN pg_namespace n "
                + "ON n.oid = e.extnamespace WHERE e.extname <> 'plpgsql'", all, rs -> new SchemaObject(Kind.EXTENSION, null,
                rs.getString("extname"), "version " + rs.getString("extversion") + " in " + rs.getString("nspname"),
                "CREATE EXTENSION IF NOT EXISTS \"" + rs.getString("extname") + "\"", "DROP EXTENSION \"" + rs.getString("extname") + "\""));
    }

    private static void routines(Connection c, List<SchemaObject> all) throws SQLException {
        SchemaInspector.query(c, "SELECT " + names("n", "p.proname") + ", pg_get_function_identity_arguments(p.oid) AS args, "
                + "p.prokind, pg_get_functiondef(p.oid) AS def FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
                + "WHERE p.prokind IN ('f', 'p', 'w') AND " + USER_SCHEMA + " AND " + notInExtension("p.oid"), all, rs -> {
            String signature = "(" + rs.getString("args") + ")";
            String kind = rs.getString("prokind").equals("p") ? "PROCEDURE " : "FUNCTION ";
            return new SchemaObject(Kind.FUNCTION, null, rs.getString("name") + signature, rs.getString("def"),
                    rs.getString("def"), "DROP " + kind + rs.getString("q") + signature);
        });
        SchemaInspector.query(c, "SELECT " + names("n", "c.relname") + ", t.tgname, quote_ident(t.tgname) AS qtg, "
                + "pg_get_triggerdef(t.oid) AS def FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                + "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE NOT t.tgisinternal AND " + USER_SCHEMA + " AND "
                + notInExtension("c.oid"), all, rs -> new SchemaObject(Kind.TRIGGER, rs.getString("name"), rs.getString("tgname"),
                rs.getString("def"), rs.getString("def"), "DROP TRIGGER " + rs.getString("qtg") + " ON " + rs.getString("q")));
        SchemaInspector.query(c, "SELECT " + tableName("n", "c.relname") + " AS tbl, CASE WHEN n.nspname = 'public' THEN "
                + "quote_ident(c.relname) ELSE quote_ident(n.nspname) || '.' || quote_ident(c.relname) END AS q, p.polname, "
                + "quote_ident(p.polname) AS qpol, CASE WHEN p.polpermissive THEN 'PERMISSIVE' ELSE 'RESTRICTIVE' END AS perm, "
                + "CASE p.polcmd WHEN 'r' THEN 'SELECT' WHEN 'a' THEN 'INSERT' WHEN 'w' THEN 'UPDATE' WHEN 'd' THEN 'DELETE' ELSE 'ALL' END AS cmd, "
                + "(SELECT string_agg(CASE WHEN r = 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(r)) END, ', ' ORDER BY 1) "
                + "FROM unnest(p.polroles) r) AS roles, pg_get_expr(p.polqual, p.polrelid) AS qual, "
                + "pg_get_expr(p.polwithcheck, p.polrelid) AS chk FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid "
                + "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE " + USER_SCHEMA, all, rs -> {
            String def = "AS " + rs.getString("perm") + " FOR " + rs.getString("cmd") + " TO " + rs.getString("roles")
                    + optionalParens(" USING ", rs.getString("qual")) + optionalParens(" WITH CHECK ", rs.getString("chk"));
            return new SchemaObject(Kind.POLICY, rs.getString("tbl"), rs.getString("polname"), def,
                    "CREATE POLICY " + rs.getString("qpol") + " ON " + rs.getString("q") + " " + def,
                    "DROP POLICY " + rs.getString("qpol") + " ON " + rs.getString("q"));
        });
    }

    private static final java.util.regex.Pattern NEXTVAL = java.util.regex.Pattern.compile("^nextval\\('((?:[^']|'')+)'::regclass\\)$");

    /** A serial column's sequence belongs to it again once the column is made (it was made before, unowned). */
    private static String serialOwnership(String dflt, String column) {
        java.util.regex.Matcher m = dflt == null ? null : NEXTVAL.matcher(dflt);
        return m != null && m.matches() ? ";\nALTER SEQUENCE " + m.group(1).replace("''", "'") + " OWNED BY " + column : "";
    }

    /** Partitioned tables and partitions are not created from the catalog (their bounds and keys come first). */
    private static boolean partitioned(ResultSet rs) throws SQLException {
        return rs.getString("partkey") != null || rs.getString("partof") != null;
    }

    private static String commentOn(String object, ResultSet rs) throws SQLException {
        String comment = rs.getString("comment");
        return comment == null ? "" : ";\nCOMMENT ON " + object + " IS '" + comment.replace("'", "''") + "'";
    }

    private static String comment(ResultSet rs) throws SQLException {
        String comment = rs.getString("comment");
        return comment == null ? "" : " COMMENT '" + comment.replace("'", "''") + "'";
    }

    static String optional(String prefix, String value) {
        return value == null || value.isEmpty() ? "" : prefix + value;
    }

    private static String optionalParens(String prefix, String value) {
        return value == null ? "" : prefix + "(" + value + ")";
    }
}

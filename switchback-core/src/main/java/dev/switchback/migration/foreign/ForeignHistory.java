package dev.switchback.migration.foreign;

import dev.switchback.migration.ErrorCode;
import dev.switchback.migration.SwitchbackException;
import dev.switchback.migration.Version;
import dev.switchback.migration.dialect.Dialect;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads another tool's history table as that tool means it. The table is only read: going back to the old tool stays
 * possible. Columns are found by name whatever their letter case (Liquibase writes {@code ID} on MariaDB, {@code id}
 * on PostgreSQL).
 *
 * @param table the table read, as found
 * @param rows  the applied (or failed) migrations, in the order the tool applied them
 */
public record ForeignHistory(ForeignSource source, String table, List<ForeignRow> rows, List<String> unsupported) {
    /** Columns a home-made table's names are read from, when {@code table:NAME} names none: the first present. */
    private static final List<String> NAME_COLUMNS = List.of("filename", "file_name", "file", "name", "script",
            "migration", "version");
    /** Columns a home-made table's times are read from: the first present. */
    private static final List<String> TIME_COLUMNS = List.of("applied_at", "installed_on", "executed_at", "run_at",
            "run_on", "migrated_at", "created_at", "tstamp");

    public ForeignHistory {
        rows = List.copyOf(rows);
        unsupported = List.copyOf(unsupported);
    }

    /**
     * @throws SwitchbackException (CONFIG) when none of the source's tables exists, naming them and {@code --table}
     */
    public static ForeignHistory read(Connection c, Dialect dialect, ForeignSource source) throws SQLException {
        for (String table : source.tables()) {
            for (String name : spellings(table)) {
                Table t = select(c, dialect, name);
                if (t != null) {
                    return interpret(source, table, t);
                }
            }
        }
        throw new SwitchbackException(ErrorCode.CONFIG, "No " + String.join(" or ", source.tables()) + " table in this database, "
                + "so there is no " + source.tool().cliName() + " history to import. Name the table with --table if it has another name.");
    }

    /**
     * The other tools' histories this database has rows in, by their default tables, as {@code --from} values with the
     * table (e.g. {@code flyway (flyway_schema_history, 12 rows)}); empty when there is none.
     */
    public static List<String> present(Connection c, Dialect dialect) throws SQLException {
        List<String> found = new ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (ForeignTool tool : ForeignTool.values()) {
            for (String table : tool.defaultTables()) {
                if (!seen.add(table)) {
                    continue;
                }
                Table t = null;
                for (String name : spellings(table)) {
                    t = t == null ? select(c, dialect, name) : t;
                }
                if (t != null && !t.rows().isEmpty()) {
                    String tools = !table.equals("schema_migrations") ? tool.cliName()
                            : t.has("dirty") ? ForeignTool.GOLANG_MIGRATE.cliName()
                            : ForeignTool.DBMATE.cliName() + " or " + ForeignTool.RAILS.cliName();
                    found.add(tools + " (" + table + ", " + t.rows().size() + " rows)");
                }
            }
        }
        return found;
    }

    /** The name as written, then in lower and upper case (tools create their tables in either, depending on the server). */
    private static List<String> spellings(String table) {
        List<String> out = new ArrayList<>(List.of(table));
        for (String s : List.of(table.toLowerCase(Locale.ROOT), table.toUpperCase(Locale.ROOT))) {
            if (!out.contains(s)) {
                out.add(s);
            }
        }
        return out;
    }

    /** A table's rows as column name (lower case) to value; null when the table does not exist. */
    private record Table(List<String> columns, List<Map<String, Object>> rows) {
        boolean has(String column) {
            return columns.contains(column);
        }
    }

    private static Table select(Connection c, Dialect dialect, String table) throws SQLException {
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(true);
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT * FROM " + dialect.quoteQualified(table))) {
            ResultSetMetaData md = rs.getMetaData();
            List<String> columns = new ArrayList<>();
            for (int i = 1; i <= md.getColumnCount(); i++) {
                columns.add(md.getColumnLabel(i).toLowerCase(Locale.ROOT));
            }
            List<Map<String, Object>> rows = new ArrayList<>();
            while (rs.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= columns.size(); i++) {
                    Object v = rs.getObject(i);
                    row.put(columns.get(i - 1), v instanceof java.sql.Timestamp ts ? ts.toInstant() : v);
                }
                rows.add(row);
            }
            return new Table(columns, rows);
        } catch (SQLException e) {
            if (dialect.isUndefinedTable(e)) {
                return null;
            }
            throw e;
        } finally {
            c.setAutoCommit(auto);
        }
    }

    private static ForeignHistory interpret(ForeignSource source, String name, Table t) {
        List<ForeignRow> rows = new ArrayList<>();
        List<String> unsupported = new ArrayList<>();
        switch (source.tool()) {
            case FLYWAY -> flyway(name, t, rows, unsupported);
            case LIQUIBASE -> liquibase(name, t, rows, unsupported);
            case GOLANG_MIGRATE -> {
                require(name, t, "version", "dirty");
                for (Map<String, Object> r : t.rows()) {
                    String v = text(r.get("version"));
                    boolean dirty = bool(r.get("dirty"));
                    rows.add(new ForeignRow(v, false, null, null, 0, null, dirty ? "dirty" : null, false, true,
                            name + " version " + v + (dirty ? " (dirty)" : "")));
                }
            }
            case GOOSE -> goose(name, t, rows);
            case DBMATE, RAILS -> {
                require(name, t, "version");
                t.rows().forEach(r -> rows.add(ForeignRow.version(text(r.get("version")), null, name + " version " + text(r.get("version")))));
            }
            case EF_CORE -> {
                require(name, t, "migrationid");
                for (Map<String, Object> r : t.rows()) {
                    String id = text(r.get("migrationid"));
                    int underscore = id.indexOf('_');
                    String version = underscore > 0 ? id.substring(0, underscore) : id;
                    rows.add(ForeignRow.version(version, null, name + " MigrationId " + id));
                }
            }
            case TABLE -> home(source, name, t, rows);
        }
        return new ForeignHistory(source, name, rows, unsupported);
    }

    private static void flyway(String name, Table t, List<ForeignRow> rows, List<String> unsupported) {
        require(name, t, "installed_rank", "version", "type", "script", "checksum", "success");
        List<Map<String, Object>> sorted = new ArrayList<>(t.rows());
        sorted.sort(java.util.Comparator.comparingLong(r -> ((Number) r.get("installed_rank")).longValue()));
        for (Map<String, Object> r : sorted) {
            String type = text(r.get("type")).toUpperCase(Locale.ROOT);
            String version = text(r.get("version"));
            String where = name + " installed_rank " + r.get("installed_rank") + " (" + text(r.get("script")) + ")";
            if (type.equals("SCHEMA") || type.equals("DELETE")) {
                continue; // Flyway's own bookkeeping: the schema it created, a row repair marked deleted
            }
            if (version == null || version.isEmpty() || !type.equals("SQL") && !type.equals("BASELINE")) {
                unsupported.add(where + ": " + (version == null || version.isEmpty() ? "a repeatable migration" : "type " + type)
                        + " has no Switchback equivalent");
                continue;
            }
            Number checksum = (Number) r.get("checksum");
            Number ms = (Number) r.get("execution_time");
            rows.add(new ForeignRow(version, false, instant(r.get("installed_on")), text(r.get("installed_by")),
                    ms == null ? 0 : ms.longValue(), checksum == null ? null : checksum.intValue(),
                    bool(r.get("success")) ? null : "failed", type.equals("BASELINE"), false, where));
        }
    }

    /** Liquibase keeps a row per changeset; a file is applied when its changesets are, at the last one's time. */
    private static void liquibase(String name, Table t, List<ForeignRow> rows, List<String> unsupported) {
        require(name, t, "id", "author", "filename", "dateexecuted", "orderexecuted", "exectype");
        List<Map<String, Object>> sorted = new ArrayList<>(t.rows());
        sorted.sort(java.util.Comparator.comparingLong(r -> ((Number) r.get("orderexecuted")).longValue()));
        Map<String, ForeignRow> byFile = new LinkedHashMap<>();
        for (Map<String, Object> r : sorted) {
            String file = baseName(text(r.get("filename")));
            String exec = text(r.get("exectype")).toUpperCase(Locale.ROOT);
            String where = name + " changeset " + text(r.get("id")) + " by " + text(r.get("author")) + " in " + text(r.get("filename"));
            if (exec.equals("SKIPPED")) {
                continue;
            }
            ForeignRow earlier = byFile.get(file);
            String failure = exec.equals("FAILED") ? "failed" : earlier == null ? null : earlier.failure();
            byFile.put(file, new ForeignRow(file, true, instant(r.get("dateexecuted")), null, 0, null, failure, false, false, where));
        }
        rows.addAll(byFile.values());
    }

    /** Goose appends a row per up and down: a version is applied when its latest row says so. Version 0 is goose's own. */
    private static void goose(String name, Table t, List<ForeignRow> rows) {
        require(name, t, "id", "version_id", "is_applied");
        List<Map<String, Object>> sorted = new ArrayList<>(t.rows());
        sorted.sort(java.util.Comparator.comparingLong(r -> ((Number) r.get("id")).longValue()));
        Map<String, ForeignRow> latest = new LinkedHashMap<>();
        for (Map<String, Object> r : sorted) {
            String v = text(r.get("version_id"));
            if (v.equals("0")) {
                continue;
            }
            latest.remove(v);
            if (bool(r.get("is_applied"))) {
                latest.put(v, ForeignRow.version(v, instant(r.get("tstamp")), name + " id " + r.get("id") + " version_id " + v));
            }
        }
        rows.addAll(latest.values());
    }

    /** A home-made table: each value is a version when it is one, else a file name. */
    private static void home(ForeignSource source, String name, Table t, List<ForeignRow> rows) {
        String column = source.column() == null ? NAME_COLUMNS.stream().filter(t::has).findFirst().orElse(null)
                : source.column().toLowerCase(Locale.ROOT);
        if (column == null || !t.has(column)) {
            throw new SwitchbackException(ErrorCode.CONFIG, name + " has " + (column == null ? "none of the columns "
                    + NAME_COLUMNS : "no column " + column) + " (its columns: " + t.columns() + "); write --from table:"
                    + name + ":COLUMN");
        }
        String time = TIME_COLUMNS.stream().filter(t::has).findFirst().orElse(null);
        for (Map<String, Object> r : t.rows()) {
            String value = text(r.get(column));
            if (value == null) {
                continue;
            }
            value = value.strip();
            boolean byFile = !Version.isValid(value);
            rows.add(new ForeignRow(byFile ? baseName(value) : value, byFile, time == null ? null : instant(r.get(time)),
                    null, 0, null, null, false, false, name + " " + column + " '" + value + "'"));
        }
    }

    private static void require(String table, Table t, String... columns) {
        List<String> missing = new ArrayList<>();
        for (String column : columns) {
            if (!t.has(column)) {
                missing.add(column);
            }
        }
        if (!missing.isEmpty()) {
            throw new SwitchbackException(ErrorCode.CONFIG, table + " lacks the column(s) " + missing + " this tool's "
                    + "history has (its columns: " + t.columns() + "); is --from the right tool, --table the right table?");
        }
    }

    /** The last part of a path, with {@code /} or {@code \} separators. */
    static String baseName(String path) {
        int i = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
        return path.substring(i + 1);
    }

    private static String text(Object o) {
        return o == null ? null : o.toString();
    }

    private static boolean bool(Object o) {
        if (o instanceof Boolean b) {
            return b;
        }
        if (o instanceof Number n) {
            return n.intValue() != 0;
        }
        String s = String.valueOf(o).strip().toLowerCase(Locale.ROOT);
        return s.equals("true") || s.equals("t") || s.equals("1");
    }

    /** A timestamp as the driver returns it; SQLite's text (ISO or {@code YYYY-MM-DD HH:MM:SS}, read as UTC). */
    private static Instant instant(Object o) {
        if (o instanceof Instant i) {
            return i;
        }
        if (o instanceof java.time.OffsetDateTime odt) {
            return odt.toInstant();
        }
        if (o instanceof LocalDateTime ldt) {
            return ldt.toInstant(ZoneOffset.UTC);
        }
        if (o instanceof String s && !s.isBlank()) {
            try {
                return Instant.parse(s.strip());
            } catch (java.time.format.DateTimeParseException e) {
                try {
                    return LocalDateTime.parse(s.strip().replace(' ', 'T')).toInstant(ZoneOffset.UTC);
                } catch (java.time.format.DateTimeParseException e2) {
                    return null;
                }
            }
        }
        return null;
    }
}

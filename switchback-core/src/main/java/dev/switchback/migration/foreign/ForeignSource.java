package dev.switchback.migration.foreign;

import dev.switchback.migration.ErrorCode;
import dev.switchback.migration.SwitchbackException;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Where another tool's history is: the tool, the tables to try (the first that exists is read) and, for a home-made
 * table, the column that names each applied migration (null: chosen from the table's columns).
 */
public record ForeignSource(ForeignTool tool, List<String> tables, String column) {
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)?");

    public ForeignSource {
        tables = List.copyOf(tables);
    }

    /**
     * Parses {@code --from} ({@code flyway}, ..., {@code table:NAME[:COLUMN]}) and {@code --table}, which replaces the
     * tool's default table.
     *
     * @throws SwitchbackException (CONFIG) naming what is accepted
     */
    public static ForeignSource parse(String from, String tableOverride) {
        String text = from == null ? "" : from.strip();
        String column = null;
        ForeignTool tool;
        List<String> tables;
        if (text.regionMatches(true, 0, "table:", 0, 6)) {
            String[] parts = text.substring(6).split(":", -1);
            if (parts.length > 2 || parts[0].isEmpty() || (parts.length == 2 && parts[1].isEmpty())) {
                throw new SwitchbackException(ErrorCode.CONFIG, "--from '" + from + "': write table:NAME or table:NAME:COLUMN");
            }
            tool = ForeignTool.TABLE;
            tables = List.of(parts[0]);
            column = parts.length == 2 ? parts[1] : null;
        } else {
            tool = ForeignTool.byName(text);
            if (tool == null || tool == ForeignTool.TABLE) {
                throw new SwitchbackException(ErrorCode.CONFIG, "--from '" + from + "' is not a tool Switchback imports from; "
                        + "accepted: " + ForeignTool.ACCEPTED);
            }
            tables = tool.defaultTables();
        }
        if (tableOverride != null && !tableOverride.isBlank()) {
            tables = List.of(tableOverride.strip());
        }
        for (String t : tables) {
            if (!NAME.matcher(t).matches()) {
                throw new SwitchbackException(ErrorCode.CONFIG, "'" + t + "' is not a table name (letters, digits, _; optionally schema.table)");
            }
        }
        if (column != null && !NAME.matcher(column).matches() || column != null && column.contains(".")) {
            throw new SwitchbackException(ErrorCode.CONFIG, "'" + column + "' is not a column name (letters, digits, _)");
        }
        return new ForeignSource(tool, tables, column);
    }
}

package dev.switchback.migration.lint;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the migrations so far say about the schema: column types, NOT NULL and defaults, which table an index
 * belongs to, and CHECK (col IS NOT NULL) constraints. Lint reads it for the rules that depend on the current state
 * (is this type change binary-coercible? is this column NOT NULL?); what it does not know makes a rule cautious.
 */
final class Schema {
    /** @param charset the definition named its own character set or collation (MySQL: a MODIFY without it converts) */
    record Column(String type, boolean notNull, boolean hasDefault, boolean charset) {
    }

    record Constraint(String table, String notNullColumn, boolean validated) {
    }

    private final Map<String, Map<String, Column>> tables = new HashMap<>();
    private final Map<String, String> indexTable = new HashMap<>();
    private final Map<String, Constraint> constraints = new HashMap<>();

    Column column(String table, String column) {
        Map<String, Column> cols = tables.get(table);
        return cols == null ? null : cols.get(column);
    }

    /** The table of an index created by an earlier statement, or null. */
    String tableOfIndex(String index) {
        return indexTable.get(index);
    }

    /** Whether a validated {@code CHECK (column IS NOT NULL)} exists: PostgreSQL 12+ then sets NOT NULL without a scan. */
    boolean hasValidNotNullCheck(String table, String column) {
        for (Constraint c : constraints.values()) {
            if (c.validated() && table.equals(c.table()) && column.equals(c.notNullColumn())) {
                return true;
            }
        }
        return false;
    }

    Constraint constraint(String name) {
        return name == null ? null : constraints.get(name);
    }

    /** Records what a statement changed, after the rules have looked at it. */
    void apply(Stmt s) {
        switch (s.kind) {
            case CREATE_TABLE -> {
                Map<String, Column> cols = new LinkedHashMap<>();
                for (ColumnDef c : s.columns) {
                    cols.put(c.name(), new Column(c.type(), c.notNull(), c.filledIn(), c.charset()));
                }
                tables.put(s.target.key(), cols);
                for (ConstraintDef c : s.constraints) {
                    if (c.name() != null) {
                        constraints.put(c.name(), new Constraint(s.target.key(), c.notNullColumn(), true));
                    }
                }
            }
            case CREATE_INDEX -> {
                if (s.target != null && s.onTable != null) {
                    indexTable.put(s.target.key(), s.onTable.key());
                }
            }
            case DROP_RELATION -> s.targets.forEach(n -> tables.remove(n.key()));
            case ALTER_TABLE -> s.actions.forEach(a -> alter(s.target.key(), a));
            case RENAME_TABLE -> {
                for (int i = 0; i + 1 < s.targets.size(); i += 2) {
                    Map<String, Column> cols = tables.remove(s.targets.get(i).key());
                    if (cols != null && s.targets.get(i + 1) != null) {
                        tables.put(s.targets.get(i + 1).key(), cols);
                    }
                }
            }
            default -> {
            }
        }
    }

    private void alter(String table, Action a) {
        Map<String, Column> cols = tables.computeIfAbsent(table, k -> new LinkedHashMap<>());
        Column col = a.column() == null ? null : cols.get(a.column());
        switch (a.type()) {
            case ADD_COLUMN -> cols.put(a.def().name(), new Column(a.def().type(), a.def().notNull(), a.def().filledIn(), a.def().charset()));
            case MODIFY_COLUMN -> {
                cols.remove(a.name());
                cols.put(a.def().name(), new Column(a.def().type(), a.def().notNull(), a.def().filledIn(), a.def().charset()));
            }
            case DROP_COLUMN -> cols.remove(a.column());
            case ALTER_TYPE -> cols.put(a.column(), new Column(a.newName(), col != null && col.notNull(), col != null && col.hasDefault(), false));
            case SET_NOT_NULL -> cols.put(a.column(), new Column(col == null ? null : col.type(), true, col != null && col.hasDefault(),
                    col != null && col.charset()));
            case DROP_NOT_NULL -> cols.put(a.column(), new Column(col == null ? null : col.type(), false, col != null && col.hasDefault(),
                    col != null && col.charset()));
            case SET_DEFAULT, DROP_DEFAULT -> {
                if (col != null) {
                    cols.put(a.column(), new Column(col.type(), col.notNull(), a.type() == Action.Type.SET_DEFAULT && !a.flag(), col.charset()));
                }
            }
            case RENAME_COLUMN -> {
                if (col != null && a.newName() != null) {
                    cols.remove(a.column());
                    cols.put(a.newName(), col);
                }
            }
            case RENAME_TABLE -> {
                if (a.newName() != null) {
                    tables.put(Name.of(a.newName().replaceFirst(".*\\.", "")).key(), tables.remove(table));
                }
            }
            case ADD_CONSTRAINT -> {
                ConstraintDef c = a.constraint();
                if (c.name() != null) {
                    constraints.put(c.name(), new Constraint(table, c.notNullColumn(), !c.notValid()));
                }
            }
            case VALIDATE_CONSTRAINT -> {
                Constraint c = constraints.get(a.name());
                if (c != null) {
                    constraints.put(a.name(), new Constraint(c.table(), c.notNullColumn(), true));
                }
            }
            case DROP_CONSTRAINT -> {
                if (a.name() != null) {
                    constraints.remove(a.name());
                }
            }
            default -> {
            }
        }
    }
}

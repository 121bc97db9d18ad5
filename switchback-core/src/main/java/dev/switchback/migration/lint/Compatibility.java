package dev.switchback.migration.lint;

import java.util.List;

/**
 * Rules about changes that break the release still serving while the new one rolls out (expand/contract): it still
 * reads and writes the old names, columns and values. In a contract migration they are informational.
 */
final class Compatibility implements Check {

    @Override
    public void check(Stmt s, Scope sc, Effect effect, Findings out) {
        switch (s.kind) {
            case DROP_RELATION, TRUNCATE -> {
                List<String> existing = s.targets.stream().filter(sc::isExisting).map(Name::display).toList();
                if (!existing.isEmpty()) {
                    String what = s.kind == Stmt.Kind.TRUNCATE ? "TRUNCATE empties " : s.label + " drops ";
                    out.add(Rule.DROP_TABLE, s, s.first(), what + String.join(", ", existing)
                            + ", which the serving release still uses" + (s.kind == Stmt.Kind.TRUNCATE ? "; the rows are gone" : ""));
                }
            }
            case DROP_SCHEMA -> {
                if (s.targets.stream().anyMatch(sc::isExisting)) {
                    out.add(Rule.DROP_TABLE, s, s.first(), s.label + " " + s.target.display()
                            + " drops everything in it, which the serving release still uses");
                }
            }
            case RENAME_TABLE -> {
                for (int i = 0; i + 1 < s.targets.size(); i += 2) {
                    Name from = s.targets.get(i);
                    if (sc.isExisting(from)) {
                        out.add(Rule.RENAME_TABLE, s, from.at(), "RENAME TABLE " + from.display() + " TO "
                                + s.targets.get(i + 1) + ": the serving release still uses " + from.display());
                    }
                }
            }
            case ALTER_TABLE -> {
                if (sc.isExisting(s.target)) {
                    s.actions.forEach(a -> alter(s, a, sc, out));
                }
            }
            case ALTER_TYPE -> {
                if (s.enumRename && sc.isExisting(s.target)) {
                    out.add(Rule.ENUM_VALUE_RENAME, s, s.first(), "ALTER TYPE " + s.target.display()
                            + " RENAME VALUE: the serving release still reads and writes the old label");
                }
            }
            default -> {
            }
        }
    }

    private static void alter(Stmt s, Action a, Scope sc, Findings out) {
        String table = s.target.display();
        switch (a.type()) {
            case DROP_COLUMN -> {
                if (sc.isExistingColumn(s.target, a.column())) {
                    out.add(Rule.DROP_COLUMN, s, a.at(), "DROP COLUMN " + a.column() + " on " + table
                            + ": the serving release still reads or writes it (SELECT * and INSERTs naming it fail)");
                }
            }
            case RENAME_COLUMN -> {
                if (sc.isExistingColumn(s.target, a.column())) {
                    out.add(Rule.RENAME_COLUMN, s, a.at(), "RENAME COLUMN " + a.column() + " TO " + a.newName() + " on "
                            + table + ": the serving release still uses " + a.column());
                }
            }
            case MODIFY_COLUMN -> {
                if (a.name() != null && !a.name().equals(a.def().name()) && sc.isExistingColumn(s.target, a.name())) {
                    out.add(Rule.RENAME_COLUMN, s, a.at(), "CHANGE " + a.name() + " " + a.def().name() + " on " + table
                            + " renames the column: the serving release still uses " + a.name());
                }
            }
            case RENAME_TABLE -> out.add(Rule.RENAME_TABLE, s, a.at(), (a.at().isWord("SET") ? "SET SCHEMA " + a.newName()
                    + " moves " + table : "RENAME TO " + a.newName() + " renames " + table) + ": the serving release still uses "
                    + table);
            case ADD_COLUMN -> {
                ColumnDef c = a.def();
                if (c.notNull() && !c.filledIn() && !c.primaryKey()) {
                    out.add(Rule.ADD_REQUIRED_COLUMN, s, a.at(), "ADD COLUMN " + c.name() + " NOT NULL without a DEFAULT on "
                                    + table + ": INSERTs from the serving release do not set it and fail"
                                    + (sc.postgres() ? " (and the ALTER itself fails if " + table + " has rows)" : ""),
                            "ADD COLUMN " + c.name() + " " + c.type() + " NOT NULL DEFAULT <value>, or add it nullable, backfill, "
                                    + "and SET NOT NULL once every writer sets it");
                }
            }
            case DROP_DEFAULT, SET_DEFAULT -> {
                if (a.type() == Action.Type.SET_DEFAULT && !a.flag()) {
                    return;
                }
                Schema.Column col = sc.schema.column(s.target.key(), a.column());
                if (col != null && col.notNull() && sc.isExistingColumn(s.target, a.column())) {
                    out.add(Rule.DROP_DEFAULT_ON_REQUIRED, s, a.at(), "ALTER COLUMN " + a.column() + " DROP DEFAULT on "
                            + table + ": " + a.column() + " is NOT NULL, so INSERTs from the serving release that omit it fail");
                }
            }
            default -> {
            }
        }
    }
}

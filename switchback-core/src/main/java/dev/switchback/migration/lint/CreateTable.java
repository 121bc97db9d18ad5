package dev.switchback.migration.lint;

/** CREATE TABLE: the new table, its columns and constraints, and the tables its foreign keys reference. */
final class CreateTable {
    private CreateTable() {
    }

    /** Reads from just after {@code TABLE}. */
    static void parse(Stmt s, Tokens t) {
        s.kind = Stmt.Kind.CREATE_TABLE;
        s.label = "CREATE TABLE";
        t.accept("IF", "NOT", "EXISTS");
        s.target = t.name();
        if (s.target == null) {
            s.kind = Stmt.Kind.UNKNOWN;
            s.unverified("CREATE TABLE without a table name", t.here());
            return;
        }
        if (t.accept("PARTITION", "OF")) {
            // a new partition: its columns come from the parent, which is locked while it is attached
            s.derived = true;
            s.onTable = t.name();
            return;
        }
        if (t.isWord("AS", "LIKE", "OF", "SELECT")) {
            s.derived = true;
            return;
        }
        if (!t.isSymbol('(')) {
            s.derived = true;
            return;
        }
        int open = t.pos();
        int close = t.closing(open);
        for (int[] part : t.splitTopLevel(open + 1, close)) {
            if (part[0] >= part[1]) {
                continue;
            }
            if (t.wordAt(part[0], "LIKE")) {
                s.derived = true;
            } else if (Definitions.isConstraint(t, part[0])) {
                s.constraints.add(Definitions.constraint(t, part[0], part[1]));
            } else {
                ColumnDef c = Definitions.column(t, part[0], part[1]);
                if (c != null) {
                    s.columns.add(c);
                }
            }
        }
        if (t.findTopLevel(close + 1, t.size(), "AS") >= 0) {
            s.derived = true;
        }
    }
}

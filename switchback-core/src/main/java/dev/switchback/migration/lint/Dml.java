package dev.switchback.migration.lint;

import dev.switchback.migration.sql.SqlFlavor;

/** UPDATE, DELETE, INSERT, REPLACE, MERGE and COPY: which table they change and whether they are filtered or bulk. */
final class Dml {
    private static final String[] MYSQL_MODIFIERS = {"LOW_PRIORITY", "HIGH_PRIORITY", "DELAYED", "IGNORE", "QUICK"};

    private Dml() {
    }

    static void classify(Stmt s, Tokens t, SqlFlavor flavor) {
        classifyAt(s, t, t.pos(), flavor);
    }

    /** Reads the data change starting at token {@code start} (after any WITH queries). */
    static void classifyAt(Stmt s, Tokens t, int start, SqlFlavor flavor) {
        t.seek(start);
        String verb = t.next().upper();
        while (t.isWord(MYSQL_MODIFIERS)) {
            t.next();
        }
        switch (verb) {
            case "UPDATE" -> {
                s.kind = Stmt.Kind.UPDATE;
                s.label = "UPDATE";
                t.accept("ONLY");
                s.target = t.name();
                s.bulk = true;
                s.filtered = filtered(t, start, flavor);
            }
            case "DELETE" -> {
                s.kind = Stmt.Kind.DELETE;
                s.label = "DELETE";
                int from = t.findTopLevel(t.pos(), t.size(), "FROM");
                if (from >= 0) {
                    t.seek(from + 1);
                }
                t.accept("ONLY");
                s.target = t.name();
                s.bulk = true;
                s.filtered = filtered(t, start, flavor);
            }
            case "INSERT", "REPLACE", "UPSERT" -> {
                s.kind = Stmt.Kind.INSERT;
                s.label = verb;
                t.accept("INTO");
                s.target = t.name();
                int afterTable = t.pos();
                t.skipParens();
                // INSERT ... SELECT copies rows from a query; VALUES lists are a handful of literal rows
                s.bulk = t.findTopLevel(afterTable, t.size(), "SELECT", "TABLE") >= 0;
            }
            case "MERGE" -> {
                s.kind = Stmt.Kind.MERGE;
                s.label = "MERGE";
                t.accept("INTO");
                t.accept("ONLY");
                s.target = t.name();
                s.bulk = true;
            }
            case "COPY" -> {
                t.accept("BINARY");
                s.target = t.name();
                t.skipParens();
                if (s.target != null && t.accept("FROM")) {
                    s.kind = Stmt.Kind.COPY;
                    s.label = "COPY FROM";
                    s.bulk = true;
                } else {
                    s.kind = Stmt.Kind.SELECT;
                    s.label = "COPY TO";
                }
            }
            default -> s.kind = Stmt.Kind.UNKNOWN;
        }
        if (s.target == null && s.kind != Stmt.Kind.SELECT && s.kind != Stmt.Kind.UNKNOWN) {
            s.unverified(verb + " without a table lint can name", t.here());
        }
    }

    /** A WHERE at the top level (not in a subquery), or a MySQL LIMIT, bounds the rows changed. */
    private static boolean filtered(Tokens t, int start, SqlFlavor flavor) {
        if (t.findTopLevel(start, t.size(), "WHERE") >= 0) {
            return true;
        }
        return flavor == SqlFlavor.MYSQL && t.findTopLevel(start, t.size(), "LIMIT") >= 0;
    }
}

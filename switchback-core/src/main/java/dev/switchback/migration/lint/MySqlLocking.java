package dev.switchback.migration.lint;

import java.util.ArrayList;
import java.util.List;

/**
 * mysql-blocking-alter. MySQL and MariaDB pick the least-blocking algorithm by themselves, so an ALTER that can run
 * INSTANT or INPLACE with LOCK=NONE already does. The danger is an operation that cannot: without an explicit
 * {@code ALGORITHM=INPLACE, LOCK=NONE} (or {@code ALGORITHM=INSTANT}) the server silently copies the table and blocks
 * writes instead of refusing. Forcing COPY or a SHARED/EXCLUSIVE lock is always reported.
 */
final class MySqlLocking implements Check {

    /**
     * What an ALTER on an existing table will do.
     *
     * @param risky operations that may need a table copy or a lock on writes
     */
    record Plan(String algorithm, String lock, List<String> risky) {
        boolean forced() {
            return "COPY".equals(algorithm) || "SHARED".equals(lock) || "EXCLUSIVE".equals(lock);
        }

        /** The server refuses rather than blocking: INSTANT, or INPLACE with LOCK=NONE. */
        boolean guarded() {
            return "INSTANT".equals(algorithm) || "NOCOPY".equals(algorithm) && "NONE".equals(lock)
                    || "INPLACE".equals(algorithm) && "NONE".equals(lock);
        }

        Boolean rewrite() {
            if (forced()) {
                return true;
            }
            return risky.isEmpty() || guarded() ? Boolean.FALSE : null;
        }

        String describe() {
            if (forced()) {
                return "copies the table or locks it" + ("COPY".equals(algorithm) ? " (ALGORITHM=COPY)" : " (LOCK=" + lock + ")")
                        + ": writes blocked until it finishes";
            }
            if (guarded()) {
                return "ALGORITHM=" + algorithm + (lock == null ? "" : ", LOCK=" + lock)
                        + ": online, or refused by the server; metadata lock briefly";
            }
            if (!risky.isEmpty()) {
                return "may copy the table and block writes (" + String.join(", ", risky) + ")";
            }
            return "online (INSTANT or INPLACE chosen by the server); metadata lock briefly";
        }
    }

    static Plan plan(Stmt s, Schema schema) {
        List<String> risky = new ArrayList<>();
        for (Action a : s.actions) {
            switch (a.type()) {
                case MODIFY_COLUMN -> {
                    if (!onlyNullOrDefault(s, a, schema)) {
                        risky.add((a.name() != null && !a.name().equals(a.def().name()) ? "CHANGE " : "MODIFY ")
                                + a.name() + " (a type or charset change copies the table)");
                    }
                }
                case COPY_TABLE -> risky.add(a.at().upper() + " (rebuilds the table)");
                case ADD_CONSTRAINT -> {
                    if (a.constraint().kind() == ConstraintDef.Kind.FOREIGN_KEY) {
                        risky.add("ADD FOREIGN KEY (copies the table unless foreign_key_checks=0)");
                    } else if (a.constraint().kind() == ConstraintDef.Kind.CHECK) {
                        risky.add("ADD CHECK (MariaDB checks it by copying the table: ALGORITHM=COPY, LOCK=SHARED)");
                    }
                }
                case ADD_INDEX -> {
                    if (a.at() != null && s.tokens.containsWord(0, s.tokens.size(), "FULLTEXT", "SPATIAL")) {
                        risky.add("a FULLTEXT or SPATIAL index (blocks writes while it builds)");
                    }
                }
                case ADD_COLUMN -> {
                    if (a.def().storedGenerated()) {
                        risky.add("ADD COLUMN " + a.def().name() + " stored generated (copies the table)");
                    } else if (a.def().identity()) {
                        risky.add("ADD COLUMN " + a.def().name() + " AUTO_INCREMENT (blocks writes while it fills)");
                    }
                }
                default -> {
                }
            }
        }
        return new Plan(s.algorithm, s.lockOption, risky);
    }

    /**
     * A MODIFY that keeps the column's name and type (as the earlier migrations define it) and names no character set
     * on either side (a column without one takes the table's, so dropping or changing it converts the column), so
     * that only NULL / NOT NULL, the default, the comment or the position change: MariaDB and MySQL run it with
     * ALGORITHM=INPLACE, LOCK=NONE (NOT NULL rebuilds the table in place, writes go on).
     */
    private static boolean onlyNullOrDefault(Stmt s, Action a, Schema schema) {
        ColumnDef def = a.def();
        Schema.Column old = schema.column(s.target.key(), a.name());
        return old != null && old.type() != null && !def.type().isEmpty() && old.type().equals(def.type())
                && a.name().equals(def.name()) && !def.identity() && !def.storedGenerated()
                && !old.charset() && !def.charset();
    }

    @Override
    public void check(Stmt s, Scope sc, Effect effect, Findings out) {
        if (!sc.mysql()) {
            return;
        }
        Name table = s.kind == Stmt.Kind.ALTER_TABLE ? s.target : s.kind == Stmt.Kind.CREATE_INDEX ? s.onTable : null;
        if (table == null || !sc.isExisting(table)) {
            return;
        }
        Plan plan = plan(s, sc.schema);
        String what = s.kind == Stmt.Kind.ALTER_TABLE ? "ALTER TABLE " + table.display() : "CREATE INDEX on " + table.display();
        if (plan.forced()) {
            out.add(Rule.MYSQL_BLOCKING_ALTER, s, s.first(), what + " " + plan.describe());
        } else if (!plan.risky().isEmpty() && !plan.guarded()) {
            out.add(Rule.MYSQL_BLOCKING_ALTER, s, s.first(), what + " may copy the table and block writes: "
                    + String.join("; ", plan.risky()) + ". Without ALGORITHM=INPLACE, LOCK=NONE the server does so silently");
        }
    }
}

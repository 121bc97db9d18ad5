package dev.switchback.migration.lint;

import dev.switchback.migration.sql.SqlFlavor;

import java.util.ArrayList;
import java.util.List;

/**
 * The statements of a script that destroy data, as the classifier reads them: DROP TABLE, DROP SCHEMA/DATABASE,
 * ALTER TABLE ... DROP COLUMN, TRUNCATE, DELETE; and statements it cannot read, which may do any of these.
 */
public final class DataLoss {
    private DataLoss() {
    }

    /** One line per such statement, e.g. {@code V3.down.sql:2: ALTER TABLE orders DROP COLUMN note}; empty when none. */
    public static List<String> of(String script, String sql, SqlFlavor flavor) {
        Classifier classifier = new Classifier(flavor);
        List<String> out = new ArrayList<>();
        for (Stmt s : Script.statements(script, sql, flavor, new ArrayList<>())) {
            classifier.classify(s);
            String what = destroys(s);
            if (what != null) {
                out.add(script + ":" + s.statement.line() + ": " + what);
            }
        }
        return out;
    }

    private static String destroys(Stmt s) {
        return switch (s.kind) {
            case DROP_RELATION -> s.label.equals("DROP TABLE") ? "DROP TABLE " + names(s) : null;
            case DROP_SCHEMA -> s.label + " " + names(s) + " (and every table in it)";
            case TRUNCATE -> "TRUNCATE " + names(s);
            case DELETE -> "DELETE FROM " + s.target + (s.filtered ? " (some rows)" : " (every row)");
            case ALTER_TABLE -> {
                List<String> columns = s.actions.stream().filter(a -> a.type() == Action.Type.DROP_COLUMN).map(Action::column).toList();
                yield columns.isEmpty() ? null : "ALTER TABLE " + s.target + " DROP COLUMN " + String.join(", ", columns);
            }
            case UNKNOWN, CODE_BLOCK -> "cannot tell what it changes (" + s.oneLine() + ")";
            default -> null;
        };
    }

    private static String names(Stmt s) {
        return String.join(", ", s.targets.stream().map(Name::display).toList());
    }
}

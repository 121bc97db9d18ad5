package dev.switchback.migration.lint;

import dev.switchback.migration.Migration;
import dev.switchback.migration.sql.SqlFlavor;

import java.util.ArrayList;
import java.util.List;

/** The indexes a migration's statements build or rebuild, as lint reads them: what a failed build can leave INVALID. */
public final class IndexBuilds {
    private IndexBuilds() {
    }

    /**
     * One statement that builds an index.
     *
     * @param statement the statement's 0-based position in the migration
     * @param index     the index's name (last part, lower case), or null when the server names it
     * @param table     the table (last part, lower case), or null for REINDEX INDEX
     */
    public record Build(int statement, String index, String table) {
    }

    public static List<Build> of(Migration m, SqlFlavor flavor) {
        Classifier classifier = new Classifier(flavor);
        List<Build> out = new ArrayList<>();
        for (Stmt s : Script.statements(m, flavor, new ArrayList<>())) {
            classifier.classify(s);
            int at = s.number - 1;
            if (s.kind == Stmt.Kind.CREATE_INDEX && s.onTable != null) {
                out.add(new Build(at, s.target == null ? null : s.target.key(), s.onTable.key()));
            } else if (s.kind == Stmt.Kind.REINDEX && s.target != null && "INDEX".equals(s.word)) {
                out.add(new Build(at, s.target.key(), null));
            } else if (s.kind == Stmt.Kind.REINDEX && s.target != null && "TABLE".equals(s.word)) {
                out.add(new Build(at, null, s.target.key()));
            }
        }
        return out;
    }
}

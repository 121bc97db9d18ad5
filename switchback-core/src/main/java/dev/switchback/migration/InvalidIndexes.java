package dev.switchback.migration;

import dev.switchback.migration.dialect.InvalidIndex;
import dev.switchback.migration.lint.IndexBuilds;
import dev.switchback.migration.sql.SqlStatement;

import java.sql.SQLException;
import java.util.List;
import java.util.Objects;

/**
 * A concurrent index build that fails leaves its index behind INVALID: not used, not enforced, yet there, so the
 * {@code IF NOT EXISTS} recommended for journaled migrations would skip it on resume and a unique index would
 * enforce nothing. A journaled migration checks before each statement that builds an index (so also where it
 * resumes) and, after its last statement, every index it built and the tables it built them on.
 */
final class InvalidIndexes {
    private final Database db;
    private final Migration m;
    private final List<SqlStatement> statements;
    private final List<IndexBuilds.Build> builds;

    InvalidIndexes(Database db, Migration m, List<SqlStatement> statements) {
        this.db = db;
        this.m = m;
        this.statements = statements;
        this.builds = db.dialect.hasInvalidIndexes() ? IndexBuilds.of(m, db.dialect.flavor()) : List.of();
    }

    /** Before statement {@code index} runs: refuses when the index it builds is there but INVALID. */
    void refuseBefore(int index, int rank, long ms) throws SQLException {
        refuse(builds.stream().filter(b -> b.statement() == index).toList(), index, rank, ms);
    }

    /** After the last statement: refuses when an index it built (by name; or on the table, for an unnamed build) is INVALID. */
    void refuseAfterAll(int rank, long ms) throws SQLException {
        refuse(builds, statements.size(), rank, ms);
    }

    /**
     * Fails, leaving the migration partial at the first statement that builds an invalid index (at most {@code done}),
     * when one is there.
     */
    private void refuse(List<IndexBuilds.Build> builds, int done, int rank, long ms) throws SQLException {
        if (builds.isEmpty()) {
            return;
        }
        List<InvalidIndex> invalid = invalid(builds);
        if (invalid.isEmpty()) {
            return;
        }
        int resumeAt = done;
        for (InvalidIndex index : invalid) {
            resumeAt = Math.min(resumeAt, builder(builds, index));
        }
        db.history.updateProgress(db.connection, rank, AppliedMigration.PARTIAL, resumeAt, ms);
        String where = resumeAt < statements.size() ? m.script() + ":" + statements.get(resumeAt).line() + ", statement "
                + (resumeAt + 1) : m.script();
        throw new SwitchbackException(ErrorCode.FAILED, "Migration " + m.version() + " (" + m.script() + ") is not done: "
                + String.join(", ", invalid.stream().map(i -> "index " + i.name() + " on " + i.table()).toList())
                + (invalid.size() == 1 ? " is" : " are") + " INVALID, left by a concurrent build that failed (it is neither "
                + "used nor enforced, and IF NOT EXISTS takes it for done). The migration is recorded as partial with "
                + "statements 1.." + resumeAt + " done. Fix the cause (e.g. duplicate rows for a unique index), run\n  "
                + drops(invalid) + "\nand run migrate again to resume at " + where
                + (resumeAt < done ? " (statements after it that already ran will run again)" : "") + ".");
    }

    /**
     * After statement {@code index} failed: how to get rid of the INVALID index its build left behind (a sentence to
     * add to the failure), or "" when it left none.
     */
    String leftBy(int index) {
        try {
            List<InvalidIndex> invalid = invalid(builds.stream().filter(b -> b.statement() == index).toList());
            return invalid.isEmpty() ? "" : " The failed build left an INVALID index that IF NOT EXISTS would take for done: "
                    + "once the cause is fixed, run\n  " + drops(invalid) + "\nbefore migrate.";
        } catch (SQLException e) {
            return ""; // the check before the statement on resume still finds it
        }
    }

    private List<InvalidIndex> invalid(List<IndexBuilds.Build> builds) throws SQLException {
        if (builds.isEmpty()) {
            return List.of();
        }
        List<String> names = builds.stream().map(IndexBuilds.Build::index).filter(Objects::nonNull).distinct().toList();
        // a table is looked at only for a build that names no index (PostgreSQL names it): an invalid index someone
        // else left on the same table is not this migration's, and taking it for one would re-run finished statements
        List<String> tables = builds.stream().filter(b -> b.index() == null).map(IndexBuilds.Build::table)
                .filter(Objects::nonNull).distinct().toList();
        return db.dialect.invalidIndexes(db.connection, names, tables);
    }

    private static String drops(List<InvalidIndex> invalid) {
        return String.join("\n  ", invalid.stream().map(i -> "DROP INDEX CONCURRENTLY " + i.name() + ";").toList());
    }

    /** The first statement that builds {@code index} by name, else the first that builds one on its table. */
    private static int builder(List<IndexBuilds.Build> builds, InvalidIndex index) {
        for (IndexBuilds.Build b : builds) {
            if (index.name().equalsIgnoreCase(b.index())) {
                return b.statement();
            }
        }
        for (IndexBuilds.Build b : builds) {
            if (index.table().equalsIgnoreCase(b.table())) {
                return b.statement();
            }
        }
        return Integer.MAX_VALUE;
    }
}

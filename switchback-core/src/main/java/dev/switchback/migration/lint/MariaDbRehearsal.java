package dev.switchback.migration.lint;

import dev.switchback.migration.ErrorCode;
import dev.switchback.migration.Migration;
import dev.switchback.migration.MigrationConfig;
import dev.switchback.migration.SwitchbackException;
import dev.switchback.migration.lint.RehearsalReport.AlterProbe;
import dev.switchback.migration.lint.RehearsalReport.AlterProbe.Verdict;
import dev.switchback.migration.sql.SqlFlavor;
import dev.switchback.migration.sql.SqlToken;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Asks MariaDB instead of guessing: runs the pending migrations in a scratch copy of the target's table structure and
 * appends to each ALTER TABLE or CREATE INDEX on a table that is there {@code ALGORITHM=INSTANT}, then
 * {@code ALGORITHM=INPLACE, LOCK=NONE}. The server either runs it (it is online) or refuses with its reason
 * (ER_ALTER_OPERATION_NOT_SUPPORTED_REASON: it needs a table copy or a lock on writes), and then runs as written so
 * the next statements find what they depend on. That answer replaces lint's mysql-blocking-alter guess for the statement.
 */
final class MariaDbRehearsal {
    private static final int ER_ALTER_OPERATION_NOT_SUPPORTED = 1845;
    private static final int ER_ALTER_OPERATION_NOT_SUPPORTED_REASON = 1846;
    private static final String RULE = Rule.MYSQL_BLOCKING_ALTER.id();
    private final MigrationConfig config;
    private final LintConfig lint;

    MariaDbRehearsal(MigrationConfig config, LintConfig lint) {
        this.config = config;
        this.lint = lint;
    }

    RehearsalReport run(List<Migration> applied, List<Migration> pending, String scratchUrl, long t0) {
        MariaDbScratch scratch = scratchUrl == null ? MariaDbScratch.copyOf(config.url(), config.user(), config.password())
                : MariaDbScratch.given(scratchUrl, config.user(), config.password());
        try (scratch) {
            LintReport expected = new Linter(lint, SqlFlavor.MYSQL, lint.pgVersion(null), !config.statementLockTimeout().isZero())
                    .lint(applied, pending);
            List<Finding> findings = new ArrayList<>();
            List<RehearsalReport.Migration> results = new ArrayList<>();
            String server;
            int major;
            try (Connection c = scratch.connect()) {
                DatabaseMetaData meta = c.getMetaData();
                server = meta.getDatabaseProductName() + " " + meta.getDatabaseProductVersion().replaceFirst("-.*", "");
                major = meta.getDatabaseMajorVersion();
                Set<String> otherDatabases = otherDatabases(c, scratch.name);
                for (Migration m : pending) {
                    results.add(rehearse(c, m, expected.of(m.script()), findings, otherDatabases));
                }
            } catch (SQLException e) {
                throw new SwitchbackException(ErrorCode.FAILED, "Rehearsal in " + scratch + " failed: " + e.getMessage(), e);
            }
            scratch.close();
            return new RehearsalReport(server, scratch.toString(), scratch.dropped(), major,
                    new LintReport(findings, expected.migrations()), results, (System.nanoTime() - t0) / 1_000_000);
        }
    }

    /**
     * Runs one migration's statements in the scratch database, probing each ALTER; moves its findings, as the server's
     * answers correct them, into {@code findings}.
     */
    private RehearsalReport.Migration rehearse(Connection c, Migration m, List<Finding> expected, List<Finding> findings,
                                               Set<String> otherDatabases) throws SQLException {
        List<Stmt> statements = Script.statements(m, SqlFlavor.MYSQL, new ArrayList<>());
        Classifier classifier = new Classifier(SqlFlavor.MYSQL);
        List<Finding> kept = new ArrayList<>(expected);
        Findings found = new Findings(lint, m.script(), m.directives());
        List<RehearsalReport.Statement> observed = new ArrayList<>();
        String note = null;
        long t0 = System.nanoTime();
        try (Statement st = c.createStatement()) {
            for (int k = 0; k < statements.size(); k++) {
                Stmt s = statements.get(k);
                classifier.classify(s);
                String outside = outsideScratch(s, otherDatabases);
                if (outside != null) {
                    note = "stopped at statement " + s.number + ": it " + outside + ", so the rehearsal does not run it";
                    break;
                }
                int from = s.statement.line();
                int to = k + 1 < statements.size() ? statements.get(k + 1).statement.line() : Integer.MAX_VALUE;
                long ts = System.nanoTime();
                AlterProbe probe = probe(c, st, s);
                String error = null;
                if (!probe.online()) {
                    try {
                        st.execute(s.statement.sql());
                    } catch (SQLException e) {
                        error = oneLine(e);
                    }
                }
                List<String> disagreements = new ArrayList<>();
                if (probe.verdict() != Verdict.UNTESTED) {
                    boolean claimed = kept.stream().anyMatch(f -> f.rule().equals(RULE) && f.line() >= from && f.line() < to);
                    if (probe.online() && claimed) {
                        kept.removeIf(f -> f.rule().equals(RULE) && f.line() >= from && f.line() < to);
                        disagreements.add("lint expected a table copy or a lock on writes; " + "MariaDB ran it with " + probe.clause());
                    } else if (!probe.online() && !claimed) {
                        found.add(Rule.MYSQL_BLOCKING_ALTER, s, s.first(), s.label + " " + s.target + " blocks writes: MariaDB "
                                + "refused ALGORITHM=INPLACE, LOCK=NONE (" + probe.detail() + ")");
                        disagreements.add("lint expected no table copy; MariaDB refused ALGORITHM=INPLACE, LOCK=NONE");
                    }
                }
                observed.add(new RehearsalReport.Statement(s.number, from, s.statement.abbreviated(160), List.of(), List.of(),
                        List.of(), false, rules(kept, found.list(), from, to), disagreements, error, elapsed(ts), probe));
                if (error != null) {
                    note = "stopped at statement " + s.number + ": " + error;
                    break;
                }
            }
        }
        kept.addAll(found.list());
        kept.sort(Comparator.comparingInt(Finding::line));
        findings.addAll(kept);
        return new RehearsalReport.Migration(m.script(), true, note, elapsed(t0), observed);
    }

    /**
     * For an ALTER TABLE or CREATE INDEX on a table the scratch database has, without an ALGORITHM or LOCK of its own:
     * the least-blocking algorithm the server accepts, which it then applies. Any other statement, or one that fails
     * with the clause appended for another reason, is UNTESTED and then runs as written (which reports its real error).
     */
    private static AlterProbe probe(Connection c, Statement st, Stmt s) throws SQLException {
        Name table = s.kind == Stmt.Kind.ALTER_TABLE ? s.target : s.kind == Stmt.Kind.CREATE_INDEX ? s.onTable : null;
        if (table == null) {
            return untested("not an ALTER TABLE or CREATE INDEX");
        }
        if (s.algorithm != null || s.lockOption != null) {
            return untested("it names its own ALGORITHM or LOCK");
        }
        if (!exists(c, table)) {
            return untested(table + " is new");
        }
        boolean index = s.kind == Stmt.Kind.CREATE_INDEX;
        // on a new line, so that a trailing -- comment does not swallow the clause
        String sql = s.statement.sql() + (index ? "\n" : "\n, ");
        if (!index) {
            try {
                st.execute(sql + "ALGORITHM=INSTANT");
                return new AlterProbe(Verdict.INSTANT, null);
            } catch (SQLException e) {
                if (!unsupported(e)) {
                    return untested("with ALGORITHM=INSTANT appended: " + oneLine(e));
                }
            }
        }
        try {
            st.execute(sql + (index ? "ALGORITHM=INPLACE LOCK=NONE" : "ALGORITHM=INPLACE, LOCK=NONE"));
            return new AlterProbe(Verdict.INPLACE, null);
        } catch (SQLException e) {
            return unsupported(e) ? new AlterProbe(Verdict.BLOCKING, oneLine(e))
                    : untested("with ALGORITHM=INPLACE, LOCK=NONE appended: " + oneLine(e));
        }
    }

    private static AlterProbe untested(String why) {
        return new AlterProbe(Verdict.UNTESTED, why);
    }

    private static boolean exists(Connection c, Name table) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM information_schema.tables "
                + "WHERE table_schema = DATABASE() AND table_name = ?")) {
            ps.setString(1, table.parts().get(table.parts().size() - 1));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getInt(1) > 0;
            }
        }
    }

    private static boolean unsupported(SQLException e) {
        return e.getErrorCode() == ER_ALTER_OPERATION_NOT_SUPPORTED || e.getErrorCode() == ER_ALTER_OPERATION_NOT_SUPPORTED_REASON;
    }

    /** Why a statement would reach outside the scratch database (the target sits beside it), or null. */
    /** What the rehearsal runs in the scratch database: statements on tables, indexes, views and their rows, nothing server-wide. */
    private static final Set<Stmt.Kind> RUNNABLE = java.util.EnumSet.of(Stmt.Kind.CREATE_TABLE, Stmt.Kind.CREATE_INDEX,
            Stmt.Kind.CREATE_VIEW, Stmt.Kind.DROP_INDEX, Stmt.Kind.DROP_RELATION, Stmt.Kind.ALTER_TABLE, Stmt.Kind.RENAME_TABLE,
            Stmt.Kind.TRUNCATE, Stmt.Kind.INSERT, Stmt.Kind.UPDATE, Stmt.Kind.DELETE, Stmt.Kind.COMMENT);

    static String outsideScratch(Stmt s, Set<String> otherDatabases) {
        if (!RUNNABLE.contains(s.kind) && s.kind != Stmt.Kind.DROP_SCHEMA && !(s.kind == Stmt.Kind.CREATE_OTHER
                && s.label.matches("CREATE (DATABASE|SCHEMA)"))) {
            // users, grants, SET GLOBAL, routines, events: they would act on the server itself, not on the scratch copy
            return "is " + s.label + ", which may act beyond one database";
        }
        if (s.kind == Stmt.Kind.DROP_SCHEMA || s.kind == Stmt.Kind.CREATE_OTHER && s.label.matches("CREATE (DATABASE|SCHEMA)")) {
            return "creates or drops a database";
        }
        if (s.first() != null && s.first().isWord("USE")) {
            return "switches to another database (USE)";
        }
        Tokens t = s.tokens;
        for (int i = 0; i + 1 < t.size(); i++) {
            SqlToken k = t.get(i);
            if ((k.type() == SqlToken.Type.WORD || k.type() == SqlToken.Type.QUOTED_IDENTIFIER) && t.symbolAt(i + 1, '.')
                    && otherDatabases.contains(Tokens.identifier(k).toLowerCase(Locale.ROOT))) {
                return "names the database " + Tokens.identifier(k);
            }
        }
        return null;
    }

    private static Set<String> otherDatabases(Connection c, String scratch) throws SQLException {
        Set<String> out = new HashSet<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SHOW DATABASES")) {
            while (rs.next()) {
                out.add(rs.getString(1).toLowerCase(Locale.ROOT));
            }
        }
        out.remove(scratch.toLowerCase(Locale.ROOT));
        return out;
    }

    private static List<String> rules(List<Finding> kept, List<Finding> found, int from, int to) {
        List<Finding> all = new ArrayList<>(kept);
        all.addAll(found);
        return all.stream().filter(f -> f.line() >= from && f.line() < to).map(Finding::rule).distinct().toList();
    }

    private static String oneLine(SQLException e) {
        return String.valueOf(e.getMessage()).replaceFirst("^\\(conn=\\d+\\) ", "").replaceAll("\\s+", " ").strip();
    }

    private static long elapsed(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }
}

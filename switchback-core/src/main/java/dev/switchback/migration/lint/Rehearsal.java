package dev.switchback.migration.lint;

import dev.switchback.migration.ErrorCode;
import dev.switchback.migration.Migration;
import dev.switchback.migration.MigrationConfig;
import dev.switchback.migration.Migrator;
import dev.switchback.migration.StatusReport;
import dev.switchback.migration.SwitchbackException;
import dev.switchback.migration.dialect.Dialects;
import dev.switchback.migration.sql.SqlFlavor;
import dev.switchback.migration.sql.SqlSplitter;
import dev.switchback.migration.sql.SqlStatement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Observes instead of guessing (MariaDB and MySQL: see {@link MariaDbRehearsal}): runs each pending transactional migration on a scratch copy of the target's schema,
 * statement by statement inside a transaction, reading after each statement the locks this backend holds (pg_locks)
 * and which relations got new storage (relfilenode), then rolls the transaction back. Each migration is then applied
 * for real to the scratch database, so the next one finds what it depends on.
 */
public final class Rehearsal {
    private static final Logger log = LoggerFactory.getLogger(Rehearsal.class);
    private final MigrationConfig config;
    private final LintConfig lint;
    private final String pgDump;
    private final String psql;

    /**
     * @param pgDump the pg_dump to copy the schema with (a path, or a name on PATH)
     * @param psql   the psql to restore it with
     */
    public Rehearsal(MigrationConfig config, LintConfig lint, String pgDump, String psql) {
        this.config = config;
        this.lint = lint;
        this.pgDump = pgDump;
        this.psql = psql;
    }

    /**
     * Rehearses the migrations pending on the migrator's database.
     *
     * @param scratchUrl a database that already has the target's schema (it is changed, never dropped), or null to
     *                   create one with pg_dump --schema-only and drop it afterwards, also when the rehearsal fails
     */
    public RehearsalReport run(Migrator migrator, String scratchUrl) {
        long t0 = System.nanoTime();
        List<Migration> all = migrator.migrations();
        Set<String> pendingScripts = new HashSet<>();
        for (StatusReport.Pending p : migrator.status().pending()) {
            pendingScripts.add(p.script());
        }
        List<Migration> pending = all.stream().filter(m -> pendingScripts.contains(m.script())).toList();
        List<Migration> applied = all.stream().filter(m -> !pendingScripts.contains(m.script())).toList();
        if (Dialects.forUrl(config.url()).flavor() == SqlFlavor.MYSQL) {
            return new MariaDbRehearsal(config, lint).run(applied, pending, scratchUrl, t0);
        }
        PgServer target = PgServer.parse(config.url(), config.user(), config.password());
        ScratchDatabase scratch = scratchUrl == null ? ScratchDatabase.copyOf(target, pgDump, psql)
                : ScratchDatabase.given(PgServer.parse(scratchUrl, config.user(), config.password()));
        try (scratch) {
            List<RehearsalReport.Migration> results = new ArrayList<>();
            int serverVersion;
            String server;
            LintReport expected;
            try (Connection c = scratch.server.connect()) {
                serverVersion = c.getMetaData().getDatabaseMajorVersion();
                server = "PostgreSQL " + c.getMetaData().getDatabaseProductVersion();
                expected = new Linter(lint, SqlFlavor.POSTGRES, lint.pgVersion(serverVersion), true).lint(applied, pending);
                for (int i = 0; i < pending.size(); i++) {
                    Migration m = pending.get(i);
                    results.add(rehearse(c, m, expected.migrations().get(i), expected.of(m.script())));
                    if (i + 1 < pending.size()) {
                        apply(c, m);
                    }
                }
            } catch (SQLException e) {
                throw new SwitchbackException(ErrorCode.FAILED, "Rehearsal in " + scratch.server + " failed: " + e.getMessage(), e);
            }
            scratch.close();
            return new RehearsalReport(server, scratch.server.toString(), scratch.dropped(), serverVersion, expected, results,
                    (System.nanoTime() - t0) / 1_000_000);
        }
    }

    private RehearsalReport.Migration rehearse(Connection c, Migration m, MigrationLint expected, List<Finding> findings)
            throws SQLException {
        if (m.directives().noTransaction()) {
            return new RehearsalReport.Migration(m.script(), false, "not rehearsable: it runs outside a transaction "
                    + "(-- switchback:no-transaction), so it cannot be rolled back", 0, List.of());
        }
        List<SqlStatement> statements = SqlSplitter.split(m.upSql(), SqlFlavor.POSTGRES, m.script());
        List<RehearsalReport.Statement> observed = new ArrayList<>();
        long t0 = System.nanoTime();
        String note = null;
        c.setAutoCommit(false);
        try (Statement st = c.createStatement()) {
            Map<Long, LockObserver.Relation> existing = LockObserver.relations(c);
            Map<Long, LockObserver.Relation> storage = existing;
            Set<RelationLock> held = LockObserver.locks(c, existing);
            for (int k = 0; k < statements.size(); k++) {
                SqlStatement s = statements.get(k);
                StatementLint lint = k < expected.statements().size() ? expected.statements().get(k) : null;
                long ts = System.nanoTime();
                try {
                    st.execute(s.sql());
                } catch (SQLException e) {
                    observed.add(new RehearsalReport.Statement(k + 1, s.line(), s.abbreviated(160), List.of(), List.of(),
                            List.of(), false, rules(findings, statements, k), List.of(), oneLine(e), elapsed(ts), null));
                    note = "stopped at statement " + (k + 1) + ": " + oneLine(e);
                    break;
                }
                long ms = elapsed(ts);
                Set<RelationLock> now = LockObserver.locks(c, existing);
                Set<RelationLock> taken = new LinkedHashSet<>(now);
                taken.removeAll(held);
                taken = sorted(taken);
                Map<Long, LockObserver.Relation> after = LockObserver.relations(c);
                List<String> rewritten = new ArrayList<>();
                boolean tableRewritten = false;
                for (Map.Entry<Long, LockObserver.Relation> e : storage.entrySet()) {
                    LockObserver.Relation later = after.get(e.getKey());
                    if (later != null && existing.containsKey(e.getKey()) && e.getValue().filenode() != 0
                            && later.filenode() != e.getValue().filenode()) {
                        rewritten.add(later.describe());
                        tableRewritten |= later.isTable();
                    }
                }
                List<RelationLock> alreadyHeld = new ArrayList<>();
                List<String> disagreements = compare(lint, taken, held, tableRewritten, existing, alreadyHeld);
                observed.add(new RehearsalReport.Statement(k + 1, s.line(), s.abbreviated(160), List.copyOf(taken), alreadyHeld,
                        rewritten, tableRewritten, rules(findings, statements, k), disagreements, null, ms, null));
                held = now;
                storage = after;
            }
        } finally {
            c.rollback();
            c.setAutoCommit(true);
        }
        return new RehearsalReport.Migration(m.script(), true, note, elapsed(t0), observed);
    }

    /** Where lint's expectation for one statement and the observation differ, in words. */
    static List<String> compare(StatementLint lint, Set<RelationLock> taken, Set<RelationLock> heldBefore,
                                boolean tableRewritten, Map<Long, LockObserver.Relation> existing, List<RelationLock> alreadyHeld) {
        List<String> out = new ArrayList<>();
        if (lint == null || !lint.verified()) {
            return out;
        }
        Set<String> expectedRelations = new HashSet<>();
        Set<String> names = new HashSet<>();
        existing.values().forEach(r -> names.add(r.name().toLowerCase(java.util.Locale.ROOT)));
        for (RelationLock e : lint.locks()) {
            expectedRelations.add(e.relation());
            if (taken.contains(e) || !names.contains(e.relation())) {
                // nothing to compare when the relation is not there (DROP ... IF EXISTS of a missing one)
                continue;
            }
            if (heldBefore.contains(e)) {
                alreadyHeld.add(e);
                continue;
            }
            List<String> seen = taken.stream().filter(t -> t.relation().equals(e.relation())).map(RelationLock::mode).toList();
            out.add("lint expected " + e.mode() + " on " + e.relation() + ", observed "
                    + (seen.isEmpty() ? "no new lock on it" : String.join(", ", seen)));
        }
        if (lint.locksKnown()) {
            for (RelationLock t : taken) {
                PgLock mode = PgLock.ofMode(t.mode());
                boolean table = existing.values().stream().anyMatch(r -> r.name().equals(t.relation()) && r.isTable());
                if (table && mode != null && mode.blocksWrites() && !expectedRelations.contains(t.relation())) {
                    out.add("observed " + t.mode() + " on " + t.relation() + ", which lint did not expect");
                }
            }
        }
        if (lint.rewrite() != null && lint.rewrite() != tableRewritten) {
            out.add(lint.rewrite() ? "lint expected a table rewrite, none was observed"
                    : "a table rewrite was observed, lint expected none");
        }
        return out;
    }

    /** Strongest lock first, then by relation, so that reports read the same on every run. */
    private static Set<RelationLock> sorted(Set<RelationLock> locks) {
        List<RelationLock> list = new ArrayList<>(locks);
        list.sort(java.util.Comparator.comparing((RelationLock l) -> PgLock.ofMode(l.mode()) == null ? -1
                : PgLock.ofMode(l.mode()).ordinal()).reversed().thenComparing(RelationLock::relation));
        return new LinkedHashSet<>(list);
    }

    /** Applies the migration for real, so that later migrations find its objects. */
    private static void apply(Connection c, Migration m) throws SQLException {
        boolean transactional = !m.directives().noTransaction();
        c.setAutoCommit(!transactional);
        try (Statement st = c.createStatement()) {
            for (SqlStatement s : SqlSplitter.split(m.upSql(), SqlFlavor.POSTGRES, m.script())) {
                st.execute(s.sql());
            }
            if (transactional) {
                c.commit();
            }
        } catch (SQLException e) {
            if (transactional) {
                c.rollback();
            }
            log.warn("Could not apply {} to the scratch database ({}); later migrations may fail there", m.script(), oneLine(e));
        } finally {
            c.setAutoCommit(true);
        }
    }

    private static List<String> rules(List<Finding> findings, List<SqlStatement> statements, int k) {
        int from = statements.get(k).line();
        int to = k + 1 < statements.size() ? statements.get(k + 1).line() : Integer.MAX_VALUE;
        return findings.stream().filter(f -> f.line() >= from && f.line() < to).map(Finding::rule).distinct().toList();
    }

    private static String oneLine(SQLException e) {
        String msg = String.valueOf(e.getMessage()).replaceAll("\\s+", " ").strip();
        return msg + (e.getSQLState() == null ? "" : " (SQLSTATE " + e.getSQLState() + ")");
    }

    private static long elapsed(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }
}

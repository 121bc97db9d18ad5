package dev.switchback.migration;

import dev.switchback.migration.history.HistoryTable;
import dev.switchback.migration.lock.LockLostException;
import dev.switchback.migration.lock.MigrationLock;
import dev.switchback.migration.sql.SqlSplitter;
import dev.switchback.migration.sql.SqlStatement;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code migrate --group}: every pending migration, with its history row, in one transaction that commits all of them
 * or none. Meant for fresh databases (CI, a scratch copy), where a commit per migration, an fsync each, is most of the
 * time; the transaction holds every lock it takes until its end, so it is opt-in. Only where DDL is transactional
 * (PostgreSQL, SQLite), and only for transactional migrations.
 */
final class OneTransaction {
    private OneTransaction() {
    }

    /** Refuses, before the backup and before anything runs, a group that cannot be one transaction. */
    static void refuseWhatCannotJoin(Database db, PendingPlan plan) {
        if (!db.dialect.transactionalDdl()) {
            throw new SwitchbackException(ErrorCode.CONFIG, "--group applies the pending migrations in one transaction, "
                    + "which " + db.dialect.name() + " cannot do: it commits each DDL statement by itself. Nothing was "
                    + "applied; migrate without --group.");
        }
        List<String> apart = new ArrayList<>();
        for (Migration m : plan.pending) {
            AppliedMigration row = plan.unfinished.get(m.version());
            if (m.directives().noTransaction()) {
                apart.add(m.version() + " (" + m.script() + ", no-transaction)");
            } else if (row != null && AppliedMigration.PARTIAL.equals(row.state())) {
                apart.add(m.version() + " (" + m.script() + ", partial: it resumes statement by statement)");
            }
        }
        if (!apart.isEmpty()) {
            throw new SwitchbackException(ErrorCode.CONFIG, "--group applies the pending migrations in one transaction, "
                    + "which these cannot join: " + String.join(", ", apart) + ". Nothing was applied; migrate without --group.");
        }
    }

    /** Applies {@code plan}'s pending migrations in one transaction; on any failure nothing of them stays. */
    static List<AppliedStep> apply(Migrate run, Database db, MigrationLock lock, PendingPlan plan) {
        Connection c = db.connection;
        for (int attempt = 0; ; attempt++) {
            List<AppliedStep> steps = new ArrayList<>();
            Migration m = null;
            List<SqlStatement> statements = List.of();
            int index = 0;
            long t0 = System.nanoTime();
            try {
                c.setAutoCommit(false);
                // first, as for one migration: a SQLite lease is a write, so the transaction holds the write lock from here
                lock.confirm(c);
                for (Migration p : plan.pending) {
                    AppliedMigration unfinished = plan.unfinished.get(p.version());
                    if (unfinished != null) {
                        db.history.delete(c, unfinished.rank());
                    }
                }
                int rank = db.history.nextRank(c);
                // the history rows go in one batch at the end (inside the transaction still): a round trip each was a
                // third of the group's
                List<HistoryTable.Installed> rows = new ArrayList<>(plan.pending.size());
                for (Migration p : plan.pending) {
                    m = p;
                    index = 0;
                    statements = SqlSplitter.split(m.upSql(), db.dialect.flavor(), m.script());
                    long m0 = System.nanoTime();
                    try (Statement st = c.createStatement()) {
                        for (; index < statements.size(); index++) {
                            st.execute(statements.get(index).sql());
                        }
                    }
                    long ms = Migrate.elapsedMs(m0);
                    rows.add(new HistoryTable.Installed(run.row(rank++, m, ms, AppliedMigration.SUCCESS, statements.size()), HistoryTable.now()));
                    steps.add(new AppliedStep(m.version().toString(), m.description(), m.script(), ms, statements.size(), false));
                }
                m = null; // a failure now is the history's, not a migration's
                db.history.insertAll(c, rows);
                lock.confirm(c);
                c.commit();
                c.setAutoCommit(true);
                return steps;
            } catch (LockLostException e) { // nothing of ours may stay, and the failure is not ours to record
                Migrate.rollbackQuietly(c);
                throw new SwitchbackException(ErrorCode.LOCK_TIMEOUT, "The group of " + plan.pending.size()
                        + " migrations was not applied: " + e.getMessage(), e);
            } catch (SQLException e) {
                Migrate.rollbackQuietly(c);
                if (m == null) {
                    throw new SwitchbackException(ErrorCode.FAILED, "The group of " + plan.pending.size() + " migrations "
                            + (steps.isEmpty() ? "could not start: " : "was rolled back, none of them is applied: recording them in "
                            + run.config().table() + " failed: ") + e.getMessage(), e);
                }
                if (db.dialect.isLockTimeout(e) && attempt < run.config().lockRetries()) {
                    run.backoff(m, attempt, e);
                    continue;
                }
                run.recordFailed(db, m, plan.unfinished.get(m.version()), Migrate.elapsedMs(t0));
                throw Migrate.failure(m, statements, index, e, "The group was rolled back: none of its " + plan.pending.size()
                        + " migrations is applied (" + steps.size() + " ran before this one). Fix the script and run migrate again.");
            }
        }
    }
}

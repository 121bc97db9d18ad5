package dev.switchback.migration;

import dev.switchback.migration.history.HistoryRow;
import dev.switchback.migration.lint.LintConfig;
import dev.switchback.migration.lint.MigrateGuard;
import dev.switchback.migration.lock.LockLostException;
import dev.switchback.migration.lock.MigrationLock;
import dev.switchback.migration.schema.DriftIgnore;
import dev.switchback.migration.sql.SqlSplitter;
import dev.switchback.migration.sql.SqlStatement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** The migrate verb: applies pending migrations in order, exactly once, under the lock. */
final class Migrate {
    private static final Logger log = LoggerFactory.getLogger(Migrate.class);
    private final MigrationConfig config;
    private final List<Migration> migrations;
    private final MigrationListener listener;
    private final BeforeMigrate beforeMigrate;
    private final LintConfig lint;
    private String backupId;
    // under the lock only this run writes the history: after one transactional migration the next rank is known
    // without asking the database again (0 = ask)
    private int nextRank;
    /** The pending migrations the safety check passed, so the re-plan under the lock checks only a changed set. */
    private List<Migration> checked = List.of();

    private final java.util.function.Supplier<Opened> connect;
    private DriftConfig drift = DriftConfig.DEFAULT;
    /** The schema had drifted before this run: a snapshot taken after it would record the drift as migrated. */
    private boolean driftedBefore;

    /** Whether run() found nothing to do and no problem from the history it was handed (see {@link #upToDateFromOpenedHistory}). */
    private boolean upToDateFromOpened;
    /** Every pending migration in one transaction ({@link OneTransaction}). */
    private boolean oneTransaction;
    /** What the status read after the run leaves out of its drift check; null: no status is read. */
    private DriftIgnore statusIgnore;
    private StatusReport status;
    /** The history a run that found nothing to do made its plan from (still the database's), else null. */
    private List<AppliedMigration> planned;

    /**
     * A connection, and the history when it was already read (else null): the columns the plan needs (see
     * {@link dev.switchback.migration.history.HistoryTable#readForPlan}), or every column when a status is read after
     * the run ({@link #withStatus}).
     */
    record Opened(Database db, List<AppliedMigration> history) {
    }

    Migrate(MigrationConfig config, List<Migration> migrations, MigrationListener listener, BeforeMigrate beforeMigrate,
            LintConfig lint) {
        this(config, migrations, listener, beforeMigrate, lint, () -> new Opened(Database.open(config), null));
    }

    /** @param connect the connection, perhaps already being opened (see {@link Migrator#migrate()}) */
    Migrate(MigrationConfig config, List<Migration> migrations, MigrationListener listener, BeforeMigrate beforeMigrate,
            LintConfig lint, java.util.function.Supplier<Opened> connect) {
        this.connect = connect;
        this.config = config;
        this.migrations = migrations;
        this.listener = listener;
        this.beforeMigrate = beforeMigrate;
        this.lint = lint;
    }

    Migrate withDrift(DriftConfig settings) {
        this.drift = settings;
        return this;
    }


    /** This run applying every pending migration in one transaction, or each in its own (the default). */
    Migrate inOneTransaction(boolean b) {
        oneTransaction = b;
        return this;
    }

    MigrationConfig config() {
        return config;
    }

    /** This run reading the status on its connection before closing it (unless dry or skipped); null: no status. */
    Migrate withStatus(DriftIgnore ignore) {
        statusIgnore = ignore;
        return this;
    }

    /** The status read after the last run (see {@link #withStatus}), or null. */
    StatusReport status() {
        return status;
    }

    MigrateResult run() {
        long started = System.nanoTime();
        if (config.skip()) {
            log.info("Migrations skipped ({})", Setting.SKIP_SWITCHES);
            return new MigrateResult(config.maskedUrl(), null, null, List.of(), List.of(), false, true, false, 0, List.of(), null);
        }
        if (config.dryRun() && Database.isMissingSqliteFile(config)) {
            return dryRun(PendingPlan.of(migrations, List.of(), config.outOfOrder(), config.target()), started);
        }
        Opened opened = connect.get();
        try (Database db = opened.db()) {
            MigrateResult result = run(db, opened.history(), started);
            if (statusIgnore != null && !result.dryRun()) {
                // found up to date: the rows the plan was made from are the history; else it is read again
                status = Status.on(db, config, migrations, planned, statusIgnore);
            }
            return result;
        }
    }

    private MigrateResult run(Database db, List<AppliedMigration> opened, long started) {
        List<AppliedMigration> history = opened != null ? opened : readHistory(db);
        planned = null;
        PendingPlan plan = PendingPlan.of(migrations, history, config.outOfOrder(), config.target());
        if (history.isEmpty() && !plan.pending.isEmpty()) {
            refuseOverForeignHistory(db);
        }
        refuseBlocking(plan);
        if (config.dryRun()) {
            refuseUnsafe(db, plan, true);
            return dryRun(plan, started);
        }
        if (plan.upToDate()) {
            planned = history.isEmpty() ? null : history; // empty: perhaps no table yet, which status reads as such
            upToDateFromOpened = opened != null && plan.problems.isEmpty();
            return upToDate(config, str(plan.current), elapsedMs(started), warnings(plan));
        }
        refuseUnsafe(db, plan, false);
        checkDrift(db);
        try (MigrationLock lock = db.newLock()) {
            lock.acquire(config.lockTimeout());
            return underLock(db, lock, started);
        }
    }

    /** The answer of a check that found nothing to do (logged): from the plan, or from the up-to-date snapshot. */
    static MigrateResult upToDate(MigrationConfig config, String current, long ms, List<Problem> warnings) {
        log.info("Database is up to date at version {} (checked in {} ms, no lock taken)", current, ms);
        return new MigrateResult(config.maskedUrl(), current, current, List.of(), List.of(), false, false, true, ms, warnings, null);
    }

    /**
     * Whether the last run found the database up to date, without the lock and without any problem, from exactly the
     * history rows it was handed (not rows it read itself): then that verdict follows from those rows and the files.
     */
    boolean upToDateFromOpenedHistory() {
        return upToDateFromOpened;
    }

    private MigrateResult underLock(Database db, MigrationLock lock, long started) {
        // another instance may have migrated while we waited for the lock
        PendingPlan plan;
        try {
            db.createTables();
            plan = PendingPlan.of(migrations, readHistory(db), config.outOfOrder(), config.target());
        } catch (SQLException e) {
            throw new SwitchbackException(ErrorCode.FAILED, "Cannot create or read " + config.table() + ": " + e.getMessage(), e);
        }
        refuseBlocking(plan);
        if (!plan.pending.equals(checked)) {
            refuseUnsafe(db, plan, false);
        }
        List<AppliedStep> applied = new ArrayList<>();
        Version to = plan.current;
        if (oneTransaction && !plan.pending.isEmpty()) {
            OneTransaction.refuseWhatCannotJoin(db, plan);
        }
        if (!plan.pending.isEmpty()) {
            Version target = plan.pending.stream().map(Migration::version).max(Version::compareTo).orElseThrow();
            backupId = beforeMigrate.run(str(plan.current), str(target));
        }
        nextRank = 0;
        try {
            prepareSession(db);
            List<AppliedStep> grouped = oneTransaction && !plan.pending.isEmpty() ? OneTransaction.apply(this, db, lock, plan) : null;
            for (Migration m : plan.pending) {
                AppliedStep step = grouped != null ? grouped.get(applied.size()) : apply(db, lock, m, plan.unfinished.get(m.version()));
                applied.add(step);
                listener.applied(step);
                if (to == null || m.version().compareTo(to) > 0) {
                    to = m.version();
                }
            }
        } catch (SwitchbackException e) {
            if (e.code() != ErrorCode.LOCK_TIMEOUT) { // a lost lock: the migrator that has it now writes the log
                db.audit("migrate", versions(applied), "failed", e.getMessage());
            }
            throw e;
        } finally {
            resetSession(db);
        }
        if (!applied.isEmpty() && !driftedBefore) {
            SchemaSnapshot.take(db, str(to));
        } else if (driftedBefore) {
            log.warn("No schema snapshot taken: the schema had drifted before this run, and a snapshot now would record the "
                    + "drift as migrated. drift and verify replay the migrations until a run on a clean schema takes one.");
        }
        long ms = elapsedMs(started);
        db.audit("migrate", versions(applied), "success", applied.size() + " applied in " + ms + " ms");
        log.info("Database migration completed in {} ms ({} applied)", ms, applied.size());
        return new MigrateResult(config.maskedUrl(), str(plan.current), str(to), applied, List.of(), false, false,
                applied.isEmpty(), ms, warnings(plan), backupId);
    }

    private AppliedStep apply(Database db, MigrationLock lock, Migration m, AppliedMigration unfinished) {
        List<SqlStatement> statements = SqlSplitter.split(m.upSql(), db.dialect.flavor(), m.script());
        boolean journaled = m.directives().noTransaction() || !db.dialect.transactionalDdl();
        log.info("Applying {} {} ({}{})", m.version(), m.description(), m.script(), journaled ? ", statement by statement" : "");
        try {
            return journaled ? applyJournaled(db, lock, m, statements, unfinished)
                    : applyInTransaction(db, lock, m, statements, unfinished);
        } catch (LockLostException e) {
            throw new SwitchbackException(ErrorCode.LOCK_TIMEOUT, "Migration " + m.version() + " (" + m.script()
                    + ") was not applied: " + e.getMessage(), e);
        } catch (SQLException e) {
            throw new SwitchbackException(ErrorCode.FAILED, "Migration " + m.version() + " (" + m.script()
                    + ") could not be recorded in " + config.table() + ": " + e.getMessage(), e);
        }
    }

    private AppliedStep applyInTransaction(Database db, MigrationLock lock, Migration m, List<SqlStatement> statements,
                                           AppliedMigration unfinished) throws SQLException {
        Connection c = db.connection;
        for (int attempt = 0; ; attempt++) {
            long t0 = System.nanoTime();
            int index = 0;
            try {
                c.setAutoCommit(false);
                // first: a SQLite lease is a write, so the transaction holds the write lock before it reads anything
                // and the heartbeat's write waits for it instead of failing it with SQLITE_BUSY (SQLite's deadlock rule)
                lock.confirm(c);
                if (unfinished != null) {
                    db.history.delete(c, unfinished.rank());
                }
                int rank = unfinished == null && nextRank > 0 ? nextRank : db.history.nextRank(c);
                try (Statement st = c.createStatement()) {
                    for (; index < statements.size(); index++) {
                        st.execute(statements.get(index).sql());
                    }
                }
                lock.confirm(c);
                long ms = elapsedMs(t0);
                db.history.insert(c, row(rank, m, ms, AppliedMigration.SUCCESS, statements.size()));
                c.commit();
                nextRank = rank + 1;
                c.setAutoCommit(true);
                return new AppliedStep(m.version().toString(), m.description(), m.script(), ms, statements.size(), false);
            } catch (LockLostException e) { // nothing of ours may stay, and the failure is not ours to record
                rollbackQuietly(c);
                nextRank = 0;
                throw e;
            } catch (SQLException e) {
                rollbackQuietly(c);
                nextRank = 0;
                if (db.dialect.isLockTimeout(e) && attempt < config.lockRetries()) {
                    backoff(m, attempt, e);
                    continue;
                }
                recordFailed(db, m, unfinished, elapsedMs(t0));
                throw failure(m, statements, index, e, "The migration was rolled back; later migrations were not attempted. "
                        + "Fix the script and run migrate again.");
            }
        }
    }

    private AppliedStep applyJournaled(Database db, MigrationLock lock, Migration m, List<SqlStatement> statements,
                                       AppliedMigration unfinished) throws SQLException {
        Connection c = db.connection;
        c.setAutoCommit(true);
        long t0 = System.nanoTime();
        int rank;
        int start;
        boolean resumed = unfinished != null && AppliedMigration.PARTIAL.equals(unfinished.state());
        lock.confirm(c);
        if (resumed) {
            rank = unfinished.rank();
            start = unfinished.statementsDone();
            checkDoneStatementsUnchanged(db, m, statements, unfinished);
            db.history.updateScript(c, rank, m.checksum(), m.upSql(), m.downSql());
            log.info("Resuming {} at statement {} of {}", m.version(), start + 1, statements.size());
        } else {
            if (unfinished != null) {
                db.history.delete(c, unfinished.rank());
            }
            rank = db.history.nextRank(c);
            nextRank = 0; // journaled migrations keep asking: their failed and partial rows come and go
            start = 0;
            db.history.insert(c, row(rank, m, 0, AppliedMigration.PARTIAL, 0));
        }
        InvalidIndexes invalid = new InvalidIndexes(db, m, statements);
        try (Statement st = c.createStatement()) {
            for (int index = start; index < statements.size(); index++) {
                invalid.refuseBefore(index, rank, elapsedMs(t0));
                for (int attempt = 0; ; attempt++) {
                    try {
                        lock.confirm(c);
                        st.execute(statements.get(index).sql());
                        break;
                    } catch (LockLostException e) {
                        throw e; // the journal is the new holder's now
                    } catch (SQLException e) {
                        if (db.dialect.isLockTimeout(e) && attempt < config.lockRetries()) {
                            backoff(m, attempt, e);
                            continue;
                        }
                        db.history.updateProgress(c, rank, AppliedMigration.PARTIAL, index, elapsedMs(t0));
                        throw failure(m, statements, index, e, "This migration runs statement by statement"
                                + (db.dialect.transactionalDdl() ? " (no-transaction)" : " (DDL commits implicitly on " + db.dialect.name() + ")")
                                + ": " + StatementsDone.journaled(index) + ". Fix the cause and run migrate "
                                + "again to resume at statement " + (index + 1) + "." + invalid.leftBy(index));
                    }
                }
                db.history.updateProgress(c, rank, AppliedMigration.PARTIAL, index + 1, elapsedMs(t0));
            }
        }
        long ms = elapsedMs(t0);
        invalid.refuseAfterAll(rank, ms);
        db.history.updateProgress(c, rank, AppliedMigration.SUCCESS, statements.size(), ms);
        return new AppliedStep(m.version().toString(), m.description(), m.script(), ms, statements.size(), resumed);
    }

    /** A partial migration's script may change only after the statements that already ran. */
    private void checkDoneStatementsUnchanged(Database db, Migration m, List<SqlStatement> statements,
                                              AppliedMigration unfinished) throws SQLException {
        String stored = db.history.sqlOf(db.connection, unfinished.rank())[0];
        List<SqlStatement> before = stored == null ? List.of() : SqlSplitter.split(stored, db.dialect.flavor(), m.script() + " (as applied)");
        int done = unfinished.statementsDone();
        for (int i = 0; i < done; i++) {
            if (i >= before.size() || i >= statements.size() || !before.get(i).sql().equals(statements.get(i).sql())) {
                throw new SwitchbackException(ErrorCode.VERIFICATION, m.script() + ": statement " + (i + 1)
                        + " already ran in the partial run of migration " + m.version() + " but has changed since. "
                        + "Only statements after " + done + " may change; revert the edit before resuming.");
            }
        }
    }

    void recordFailed(Database db, Migration m, AppliedMigration previous, long ms) {
        try {
            Connection c = db.connection;
            c.setAutoCommit(true);
            if (previous != null) {
                db.history.delete(c, previous.rank());
            }
            db.history.insert(c, row(db.history.nextRank(c), m, ms, AppliedMigration.FAILED, 0));
        } catch (SQLException e) {
            log.warn("Could not record the failure of {} in {}: {}", m.version(), config.table(), e.getMessage());
        }
    }

    HistoryRow row(int rank, Migration m, long ms, String state, int done) {
        return new HistoryRow(rank, m.version().toString(), m.description(), AppliedMigration.TYPE_SQL, m.script(),
                m.checksum(), m.upSql(), m.downSql(), config.installedBy(), ms, state, done, backupId);
    }

    void backoff(Migration m, int attempt, SQLException e) {
        long wait = Math.min(10_000, 500L << attempt);
        log.warn("Migration {} hit the lock timeout ({}); retry {} of {} in {} ms", m.version(), Database.oneLine(e),
                attempt + 1, config.lockRetries(), wait);
        Database.sleep(wait);
    }

    static SwitchbackException failure(Migration m, List<SqlStatement> statements, int index, SQLException e, String after) {
        SqlStatement st = index < statements.size() ? statements.get(index) : null;
        String where = st == null ? m.script() : m.script() + ":" + st.line() + ", statement " + (index + 1);
        String text = st == null ? "" : "\n  " + st.abbreviated(200);
        return new SwitchbackException(ErrorCode.FAILED, "Migration " + m.version() + " failed at " + where + text
                + "\n  " + Database.oneLine(e) + (e.getSQLState() == null ? " (error code " + e.getErrorCode() + ")" : " (SQLSTATE " + e.getSQLState() + ")") + "\n" + after, e);
    }

    private void refuseBlocking(PendingPlan plan) {
        List<Problem> blocking = plan.blocking();
        if (!blocking.isEmpty()) {
            StringBuilder sb = new StringBuilder("Migrate refused; nothing was applied:");
            for (Problem p : blocking) {
                sb.append("\n  - ").append(p.type()).append(": ").append(p.message());
            }
            throw new SwitchbackException(ErrorCode.VERIFICATION, sb.toString());
        }
    }

    /**
     * The schema against its snapshot before anything is applied (only here: the up-to-date path never pays for it):
     * logged under {@code migrations.onDrift: warn}, refused (nothing applied) under {@code fail}. Without a snapshot of
     * this history nothing is checked, as a replay would cost more than the run.
     */
    private void checkDrift(Database db) {
        DriftReport report;
        try {
            report = Drift.againstSnapshot(db, drift.ignore());
        } catch (SwitchbackException e) {
            log.warn("The schema was not checked for drift before migrating: {}", e.getMessage());
            return;
        }
        if (report == null || report.clean()) {
            return;
        }
        driftedBefore = true;
        StringBuilder sb = new StringBuilder();
        report.differences().forEach(d -> sb.append("\n  - ").append(d.message()));
        if (drift.onDrift() == DriftConfig.OnDrift.FAIL) {
            throw new SwitchbackException(ErrorCode.VERIFICATION, "Migrate refused (migrations.onDrift: fail); nothing was applied. "
                    + "The schema of " + config.maskedUrl() + " has drifted from the one last migrated:" + sb
                    + "\nResolve it first: 'switchback drift' shows both ways (put it back, or record it with "
                    + "'switchback new <description> --from-drift'); or set migrations.onDrift: warn.");
        }
        log.warn("The schema of {} has drifted from the one last migrated ({} difference(s); 'switchback drift' shows them); "
                + "applying anyway (migrations.onDrift: warn):{}", config.maskedUrl(), report.differences().size(), sb);
    }

    /** Lint's verdict on the pending migrations: exit 5 on an error finding unless allowed (see {@link MigrateGuard}). */
    private void refuseUnsafe(Database db, PendingPlan plan, boolean dryRun) {
        Integer serverMajor = null;
        try {
            if (db.dialect.name().equals("postgresql")) {
                serverMajor = db.connection.getMetaData().getDatabaseMajorVersion();
            }
        } catch (SQLException e) {
            log.debug("Cannot read the server version: {}", e.getMessage());
        }
        MigrateGuard.check(config, lint, db.dialect.flavor(), db.connection, serverMajor, migrations, plan.pending, dryRun);
        checked = List.copyOf(plan.pending);
    }

    /**
     * A database another tool has migrated already has its schema: applying version 1 on top of it would fail half-way
     * or, worse, succeed. Refused before the lock, naming the import that takes the history over.
     */
    private void refuseOverForeignHistory(Database db) {
        List<String> found;
        try {
            found = dev.switchback.migration.foreign.ForeignHistory.present(db.connection, db.dialect);
        } catch (SQLException e) {
            throw new SwitchbackException(ErrorCode.FAILED, "Cannot look for other tools' histories: " + e.getMessage(), e);
        }
        if (!found.isEmpty()) {
            String from = found.get(0).substring(0, found.get(0).indexOf(' '));
            throw new SwitchbackException(ErrorCode.VERIFICATION, "Migrate refused: this database has no " + config.table()
                    + " rows but another tool's history: " + String.join(", ", found) + ". Migrating would apply every "
                    + "migration again on top of the existing schema; nothing was applied. Take the history over with "
                    + "`switchback import --from " + from + " --dry-run`, then without --dry-run (or `baseline` if the files "
                    + "are not that tool's).");
        }
    }

    private List<AppliedMigration> readHistory(Database db) {
        try {
            List<AppliedMigration> rows = db.history.read(db.connection);
            return rows == null ? List.of() : rows;
        } catch (SQLException e) {
            throw new SwitchbackException(ErrorCode.FAILED, "Cannot read " + config.table() + ": " + e.getMessage(), e);
        }
    }

    private MigrateResult dryRun(PendingPlan plan, long started) {
        List<PlannedMigration> planned = new ArrayList<>();
        for (Migration m : plan.pending) {
            AppliedMigration row = plan.unfinished.get(m.version());
            int resumeAt = row != null && AppliedMigration.PARTIAL.equals(row.state()) ? row.statementsDone() + 1 : 1;
            planned.add(new PlannedMigration(m.version().toString(), m.description(), m.script(), m.directives().noTransaction(),
                    resumeAt, m.upSql()));
        }
        Version to = plan.current;
        for (Migration m : plan.pending) {
            to = to == null || m.version().compareTo(to) > 0 ? m.version() : to;
        }
        return new MigrateResult(config.maskedUrl(), str(plan.current), str(to), List.of(), planned, true, false,
                planned.isEmpty(), elapsedMs(started), warnings(plan), null);
    }

    private void prepareSession(Database db) {
        if (config.statementLockTimeout().isZero()) {
            return;
        }
        try {
            db.dialect.prepareSession(db.connection, config.statementLockTimeout());
        } catch (SQLException e) {
            throw new SwitchbackException(ErrorCode.FAILED, "Cannot set the statement lock timeout: " + e.getMessage(), e);
        }
    }

    private void resetSession(Database db) {
        try {
            db.connection.setAutoCommit(true);
            if (!config.statementLockTimeout().isZero()) {
                db.dialect.resetSession(db.connection);
            }
        } catch (SQLException e) {
            log.debug("Could not reset the session: {}", e.getMessage());
        }
    }

    private static List<Problem> warnings(PendingPlan plan) {
        List<Problem> blocking = plan.blocking();
        return plan.problems.stream().filter(p -> !blocking.contains(p)).toList();
    }

    static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
            c.setAutoCommit(true);
        } catch (SQLException ignored) {
            // the connection is broken; the server rolls the transaction back
        }
    }

    static String versions(List<AppliedStep> steps) {
        return String.join(",", steps.stream().map(AppliedStep::version).toList());
    }

    static String str(Version v) {
        return v == null ? null : v.toString();
    }

    static long elapsedMs(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}

package dev.switchback.migration;

import dev.switchback.migration.lock.MigrationLock;
import dev.switchback.migration.sql.SqlSplitter;
import dev.switchback.migration.sql.SqlStatement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The rollback verb: undoes applied migrations newest first with their down SQL, taken from the file
 * or, when the file is gone, from the history. Checks every down exists before undoing anything.
 */
final class Rollback {
    private static final Logger log = LoggerFactory.getLogger(Rollback.class);
    private final MigrationConfig config;
    private final List<Migration> migrations;
    private final MigrationListener listener;
    private final BeforeRollback beforeRollback;
    private final dev.switchback.migration.schema.DriftIgnore ignore;
    private boolean driftedBefore;

    Rollback(MigrationConfig config, List<Migration> migrations, MigrationListener listener, BeforeRollback beforeRollback,
             dev.switchback.migration.schema.DriftIgnore ignore) {
        this.ignore = ignore;
        this.config = config;
        this.migrations = migrations;
        this.listener = listener;
        this.beforeRollback = beforeRollback;
    }

    RollbackResult run(RollbackRequest request) {
        if (Database.isMissingSqliteFile(config)) {
            return new RollbackResult(config.maskedUrl(), null, null, List.of(), List.of(), request.dryRun());
        }
        try (Database db = Database.open(config)) {
            if (request.dryRun()) {
                return plan(db, request);
            }
            try (MigrationLock lock = db.newLock()) {
                lock.acquire(config.lockTimeout());
                RollbackResult plan = plan(db, request);
                return execute(db, lock, plan);
            }
        } catch (SQLException e) {
            throw new SwitchbackException(ErrorCode.FAILED, "Rollback failed reading " + config.table() + ": " + e.getMessage(), e);
        }
    }

    private RollbackResult plan(Database db, RollbackRequest request) throws SQLException {
        List<AppliedMigration> rows = db.history.read(db.connection);
        if (rows == null) {
            rows = List.of();
        }
        List<AppliedMigration> unfinished = rows.stream().filter(r -> !r.succeeded()).toList();
        if (!unfinished.isEmpty()) {
            throw new SwitchbackException(ErrorCode.VERIFICATION, "Rollback refused: migration(s) "
                    + String.join(", ", unfinished.stream().map(r -> r.version() + " (" + r.state() + ")").toList())
                    + " did not finish. Run migrate to finish them, or repair to remove failed rows, then roll back.");
        }
        List<AppliedMigration> applied = new ArrayList<>(rows.stream().filter(r -> !r.isBaseline()).toList());
        applied.sort(Comparator.comparing(AppliedMigration::parsedVersion).reversed());
        List<AppliedMigration> undo = select(applied, request);
        Map<Version, Migration> files = new HashMap<>();
        migrations.forEach(m -> files.put(m.version(), m));
        List<RollbackResult.Undo> plan = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (AppliedMigration row : undo) {
            Migration file = files.get(row.parsedVersion());
            if (file != null && file.hasDown()) {
                plan.add(new RollbackResult.Undo(row.version(), row.description(), file.downScript(), "file", file.downSql()));
                continue;
            }
            String stored = db.history.sqlOf(db.connection, row.rank())[1];
            if (stored != null) {
                plan.add(new RollbackResult.Undo(row.version(), row.description(), row.script(), "history", stored));
            } else {
                missing.add(row.version() + " (" + row.script() + ")");
            }
        }
        if (!missing.isEmpty()) {
            throw new SwitchbackException(ErrorCode.UNSAFE, "Rollback refused; nothing was undone. No down migration for: "
                    + String.join(", ", missing) + ".\nThe other two paths: restore the backup taken before the upgrade, "
                    + "or write a corrective forward migration (`switchback new <description>`).");
        }
        for (RollbackResult.Undo u : plan) {
            // a down stored by an earlier version was never checked: refuse it before anything is undone
            SqlSplitter.split(u.sql(), db.dialect.flavor(), u.source().equals("file") ? u.script() : "down SQL of " + u.version() + " (history)");
        }
        String from = applied.isEmpty() ? null : applied.get(0).version();
        String to = applied.size() > undo.size() ? applied.get(undo.size()).version() : null;
        return new RollbackResult(config.maskedUrl(), from, to, plan, List.of(), request.dryRun());
    }

    private List<AppliedMigration> select(List<AppliedMigration> newestFirst, RollbackRequest request) {
        if (request.to() != null) {
            return newestFirst.stream().filter(r -> r.parsedVersion().compareTo(request.to()) > 0).toList();
        }
        if (request.steps() != null) {
            if (request.steps() < 1) {
                throw new SwitchbackException(ErrorCode.CONFIG, "--steps must be at least 1, was " + request.steps());
            }
            return newestFirst.subList(0, Math.min(request.steps(), newestFirst.size()));
        }
        if (request.version() != null) {
            if (newestFirst.isEmpty() || !newestFirst.get(0).parsedVersion().equals(request.version())) {
                throw new SwitchbackException(ErrorCode.CONFIG, "--version " + request.version() + " is not the newest applied migration ("
                        + (newestFirst.isEmpty() ? "none applied" : newestFirst.get(0).version())
                        + "); use --to to undo everything above a version");
            }
            return newestFirst.subList(0, 1);
        }
        throw new SwitchbackException(ErrorCode.CONFIG, "Say what to undo: --to V, --steps N or --version V");
    }

    private RollbackResult execute(Database db, MigrationLock lock, RollbackResult plan) throws SQLException {
        List<AppliedStep> undone = new ArrayList<>();
        driftedBefore = driftedNow(db);
        String backupId = plan.plan().isEmpty() ? null : beforeRollback.run(plan.from(), plan.to());
        String backup = backupId == null ? "" : "; backup " + backupId + " taken before";
        Map<String, Integer> ranks = new HashMap<>();
        for (AppliedMigration r : db.history.read(db.connection)) {
            ranks.put(r.version(), r.rank());
        }
        try {
            for (RollbackResult.Undo u : plan.plan()) {
                AppliedStep step = undo(db, lock, u, ranks.get(u.version()));
                undone.add(step);
                listener.undone(step);
            }
        } catch (SwitchbackException e) {
            db.audit("rollback", Migrate.versions(undone), "failed", e.getMessage() + backup);
            throw e;
        }
        if (!undone.isEmpty() && !driftedBefore) {
            SchemaSnapshot.take(db, plan.to());
        } else if (driftedBefore) {
            log.warn("No schema snapshot taken: the schema had drifted before this rollback, and a snapshot now would record "
                    + "the drift as migrated. drift and verify replay the migrations until a run on a clean schema takes one.");
        }
        db.audit("rollback", Migrate.versions(undone), "success", "undone: " + undone.size() + backup);
        return new RollbackResult(plan.database(), plan.from(), plan.to(), plan.plan(), undone, false, backupId);
    }

    /** Whether the schema differs from its snapshot now (false without one, or when it cannot be read). */
    private boolean driftedNow(Database db) {
        try {
            DriftReport report = Drift.againstSnapshot(db, ignore);
            return report != null && !report.clean();
        } catch (SwitchbackException e) {
            return false;
        }
    }

    private AppliedStep undo(Database db, MigrationLock lock, RollbackResult.Undo u, int rank) throws SQLException {
        Connection c = db.connection;
        List<SqlStatement> statements = SqlSplitter.split(u.sql(), db.dialect.flavor(), u.script());
        boolean transactional = db.dialect.transactionalDdl() && !Directives.parse(u.script(), u.sql()).noTransaction();
        Migration asMigration = new Migration(Version.parse(u.version()), u.description(), u.script(), u.sql(), null, null,
                Directives.NONE, null);
        log.info("Undoing {} {} (down SQL from the {})", u.version(), u.description(), u.source());
        long t0 = System.nanoTime();
        int index = 0;
        try (Statement st = c.createStatement()) {
            c.setAutoCommit(!transactional);
            for (; index < statements.size(); index++) {
                lock.confirm(c);
                st.execute(statements.get(index).sql());
            }
            lock.confirm(c);
            db.history.delete(c, rank);
            if (transactional) {
                c.commit();
            }
        } catch (SQLException e) {
            if (transactional) {
                c.rollback();
            }
            c.setAutoCommit(true);
            throw Migrate.failure(asMigration, statements, index, e, transactional
                    ? "The undo of " + u.version() + " was rolled back; it is still applied, and so is every older migration."
                    : StatementsDone.ofDown(index) + (index == 0 ? "; " : " (DDL is not transactional here); ")
                    + u.version() + " is still recorded as applied. Finish or revert those statements by hand, then run rollback again.");
        }
        c.setAutoCommit(true);
        return new AppliedStep(u.version(), u.description(), u.script(), Migrate.elapsedMs(t0), statements.size(), false);
    }
}

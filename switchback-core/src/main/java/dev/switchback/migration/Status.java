package dev.switchback.migration;

import dev.switchback.migration.discovery.UpToDateSnapshot;
import dev.switchback.migration.history.HistoryTable;
import dev.switchback.migration.lock.LockHolder;
import dev.switchback.migration.schema.DriftIgnore;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/** The status verb: reads the history and the lock, changes nothing. */
final class Status {
    private Status() {
    }

    /**
     * The status of the files {@code files} walks and resolves. When stat says the files are those of the last check
     * that found the database up to date ({@link UpToDateSnapshot}) and the history has that check's fingerprint, the
     * files are not walked: that check's answer, nothing pending and no problem, still holds. The connection is opened,
     * and the history read, on a thread of its own from the first instant (while the settings and the snapshot are read
     * here, as migrate does); the schema is read beside it ({@link SchemaAhead}).
     */
    static StatusReport of(MigrationConfig config, ClassLoader classLoader, Supplier<List<Migration>> files, DriftIgnore ignore) {
        if (Database.isMissingSqliteFile(config)) {
            return report(config, files.get(), List.of(), null);
        }
        // whether to read the history's fingerprint with it: only when there is a snapshot to compare it with
        CompletableFuture<Boolean> fingerprinted = new CompletableFuture<>();
        Connecting<Read> connecting = Connecting.start(config, db -> {
            // with a snapshot there is a history whose schema the status shows: read beside the history from now;
            // else only once the history is there
            boolean snapshotted = fingerprinted.getNow(false);
            SchemaAhead ahead = snapshotted ? SchemaAhead.start(db, ignore) : null;
            HistoryTable.PlanRows history;
            try {
                history = history(db, config, fingerprinted.join());
            } catch (RuntimeException | Error e) {
                if (ahead != null) {
                    ahead.abandon();
                }
                throw e;
            }
            if (ahead == null && history != null) {
                ahead = SchemaAhead.start(db, ignore);
            }
            return new Read(db, history, ahead);
        }, Read::close);
        UpToDateSnapshot snapshot;
        String expected;
        List<Migration> migrations;
        try {
            String settings = config.target() == null ? UpToDateInputs.settingsKey(config, classLoader) : null; // status plans without a target
            snapshot = settings == null ? null : UpToDateSnapshot.load(UpToDateInputs.snapshotFile(config));
            expected = snapshot == null ? null : snapshot.historyFingerprint(settings);
            fingerprinted.complete(expected != null);
            migrations = expected != null && snapshot.sameFiles(settings) ? null : files.get();
        } catch (RuntimeException | Error e) {
            connecting.abandon();
            throw e;
        } finally {
            fingerprinted.complete(false); // if it was not already: the connecting thread waits for it
        }
        Read read = connecting.join();
        try (Database db = read.db()) {
            if (migrations == null && read.history() != null && expected.equals(read.history().fingerprint())) {
                return upToDate(db, config, read.history().rows(), snapshot.current(), ignore, read.ahead());
            }
            return on(db, config, migrations != null ? migrations : files.get(), read.history() == null ? null : read.history().rows(), ignore,
                    read.ahead());
        }
    }

    /** A connection, the history read on it (null when there is no history table yet), and the schema read beside it. */
    private record Read(Database db, HistoryTable.PlanRows history, SchemaAhead ahead) {
        /** Not used after all (the files stopped the run): both connections closed. */
        Database close() {
            if (ahead != null) {
                ahead.abandon();
            }
            return db;
        }
    }

    /** Every column of the history, with the plan columns' fingerprint when it is to be compared with a snapshot's. */
    private static HistoryTable.PlanRows history(Database db, MigrationConfig config, boolean fingerprinted) {
        try {
            if (fingerprinted) {
                return db.history.readFingerprinted(db.connection);
            }
            List<AppliedMigration> rows = db.history.read(db.connection);
            return rows == null ? null : new HistoryTable.PlanRows(rows, null);
        } catch (SQLException e) {
            throw failed(config, e);
        }
    }

    /**
     * The status on an open connection, of {@code migrations} against {@code rows} (read here when null), as a migrate
     * that has just finished prints it.
     */
    static StatusReport on(Database db, MigrationConfig config, List<Migration> migrations, List<AppliedMigration> rows,
                           DriftIgnore ignore) {
        return on(db, config, migrations, rows, ignore, null);
    }

    /** {@link #on}, with the schema read beside by {@code ahead} (null: read here), which nothing changed since. */
    private static StatusReport on(Database db, MigrationConfig config, List<Migration> migrations, List<AppliedMigration> rows,
                                   DriftIgnore ignore, SchemaAhead ahead) {
        try {
            List<AppliedMigration> history = rows != null ? rows : db.history.read(db.connection);
            StatusReport report = report(config, migrations, history == null ? List.of() : history, null);
            if (history == null) {
                if (ahead != null) {
                    ahead.abandon();
                }
                return report.withSchema(StatusReport.SchemaState.UNKNOWN);
            }
            return withLockAndSchema(db, report, ignore, ahead);
        } catch (SQLException e) {
            throw failed(config, e);
        }
    }

    /**
     * The status of a history the up-to-date snapshot vouches for: the files are those of a check that found these
     * rows up to date with no problem, so nothing is pending, there is no problem, and {@code current} is the version.
     * The schema is the one {@code ahead} read beside (null: read here).
     */
    static StatusReport upToDate(Database db, MigrationConfig config, List<AppliedMigration> rows, String current,
                                 DriftIgnore ignore, SchemaAhead ahead) {
        try {
            return withLockAndSchema(db, new StatusReport(config.maskedUrl(), current, applied(rows), List.of(), List.of(), null), ignore,
                    ahead);
        } catch (SQLException e) {
            throw failed(config, e);
        }
    }

    private static SwitchbackException failed(MigrationConfig config, SQLException e) {
        return new SwitchbackException(ErrorCode.FAILED, "Cannot read the status of " + config.maskedUrl() + ": " + e.getMessage(), e);
    }

    /** The lock's holder and the schema state added to a report of an existing history. */
    private static StatusReport withLockAndSchema(Database db, StatusReport report, DriftIgnore ignore, SchemaAhead ahead)
            throws SQLException {
        LockHolder holder = null;
        try {
            holder = db.dialect.liveHolder(db.connection, db.lockTarget());
        } catch (SQLException e) {
            if (!db.dialect.isUndefinedTable(e)) {
                throw e;
            }
        }
        StatusReport.SchemaState schema = ahead == null ? null : ahead.join();
        StatusReport.Lock lock = holder == null ? null : new StatusReport.Lock(holder.who(),
                holder.since() == null ? null : holder.since().toString());
        return new StatusReport(report.database(), report.current(), report.applied(), report.pending(), report.problems(),
                lock, schema != null ? schema : schemaState(db, ignore));
    }

    /** The snapshot's version and hash, and the live schema compared with it (no replay: status stays quick). */
    static StatusReport.SchemaState schemaState(Database db, DriftIgnore ignore) {
        SchemaSnapshot.Stored stored = SchemaSnapshot.current(db);
        if (stored == null) {
            return StatusReport.SchemaState.UNKNOWN;
        }
        try {
            return new StatusReport.SchemaState(stored.row().version(), stored.row().hash(), !Drift.against(db, stored, ignore).clean());
        } catch (SwitchbackException e) {
            return new StatusReport.SchemaState(stored.row().version(), stored.row().hash(), null);
        }
    }

    private static StatusReport report(MigrationConfig config, List<Migration> migrations, List<AppliedMigration> rows,
                                       StatusReport.Lock lock) {
        PendingPlan plan = PendingPlan.of(migrations, rows, true, null);
        PendingPlan strict = PendingPlan.of(migrations, rows, config.outOfOrder(), null);
        List<StatusReport.Pending> pending = new ArrayList<>();
        for (Migration m : plan.pending) {
            pending.add(new StatusReport.Pending(m.version().toString(), m.description(), m.script()));
        }
        return new StatusReport(config.maskedUrl(), Migrate.str(plan.current), applied(rows), pending, strict.problems, lock);
    }

    private static List<StatusReport.Applied> applied(List<AppliedMigration> rows) {
        List<StatusReport.Applied> applied = new ArrayList<>(rows.size());
        for (AppliedMigration r : rows) {
            applied.add(new StatusReport.Applied(r.version(), r.description(), r.script(), r.checksum(),
                    r.installedOn() == null ? null : r.installedOn().toString(), r.executionMs(), r.state(), r.hasDown()));
        }
        return applied;
    }
}

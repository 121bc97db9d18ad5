package dev.switchback.migration;

import dev.switchback.migration.lock.LockHolder;
import dev.switchback.migration.schema.DriftIgnore;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** The status verb: reads the history and the lock, changes nothing. */
final class Status {
    private Status() {
    }

    static StatusReport of(MigrationConfig config, List<Migration> migrations, DriftIgnore ignore) {
        if (Database.isMissingSqliteFile(config)) {
            return report(config, migrations, List.of(), null);
        }
        try (Database db = Database.open(config)) {
            List<AppliedMigration> rows = db.history.read(db.connection);
            LockHolder holder = null;
            if (rows != null) {
                try {
                    holder = db.dialect.liveHolder(db.connection, db.lockTarget());
                } catch (SQLException e) {
                    if (!db.dialect.isUndefinedTable(e)) {
                        throw e;
                    }
                }
            }
            return report(config, migrations, rows == null ? List.of() : rows, holder).withSchema(rows == null
                    ? StatusReport.SchemaState.UNKNOWN : schemaState(db, ignore));
        } catch (SQLException e) {
            throw new SwitchbackException(ErrorCode.FAILED, "Cannot read the status of " + config.maskedUrl() + ": " + e.getMessage(), e);
        }
    }

    /** The snapshot's version and hash, and the live schema compared with it (no replay: status stays quick). */
    private static StatusReport.SchemaState schemaState(Database db, DriftIgnore ignore) {
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
                                       LockHolder holder) {
        PendingPlan plan = PendingPlan.of(migrations, rows, true, null);
        PendingPlan strict = PendingPlan.of(migrations, rows, config.outOfOrder(), null);
        List<StatusReport.Applied> applied = new ArrayList<>();
        for (AppliedMigration r : rows) {
            applied.add(new StatusReport.Applied(r.version(), r.description(), r.script(), r.checksum(),
                    r.installedOn() == null ? null : r.installedOn().toString(), r.executionMs(), r.state(), r.hasDown()));
        }
        List<StatusReport.Pending> pending = new ArrayList<>();
        for (Migration m : plan.pending) {
            pending.add(new StatusReport.Pending(m.version().toString(), m.description(), m.script()));
        }
        StatusReport.Lock lock = holder == null ? null : new StatusReport.Lock(
                holder.who(),
                holder.since() == null ? null : holder.since().toString());
        return new StatusReport(config.maskedUrl(), Migrate.str(plan.current), applied, pending, strict.problems, lock);
    }
}

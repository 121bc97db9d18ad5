package dev.switchback.migration;

import dev.switchback.migration.history.HistoryRow;
import dev.switchback.migration.lock.MigrationLock;

import java.sql.SQLException;
import java.util.List;

/** The baseline verb: marks an existing database as being at a version without running anything. */
final class Baseline {
    private Baseline() {
    }

    static void run(MigrationConfig config, Version version, String description) {
        try (Database db = Database.open(config); MigrationLock lock = db.newLock()) {
            lock.acquire(config.lockTimeout());
            db.createTables();
            List<AppliedMigration> rows = db.history.read(db.connection);
            if (rows != null && !rows.isEmpty()) {
                throw new SwitchbackException(ErrorCode.CONFIG, "Baseline refused: " + config.table() + " already has "
                        + rows.size() + " row(s) (current version " + rows.get(rows.size() - 1).version()
                        + "). Baseline is for an existing database that Switchback has not migrated yet.");
            }
            db.history.insert(db.connection, new HistoryRow(1, version.toString(), description == null ? "<< baseline >>" : description,
                    AppliedMigration.TYPE_BASELINE, "<< baseline >>", null, null, null, config.installedBy(), 0,
                    AppliedMigration.SUCCESS, 0, null));
            db.audit("baseline", version.toString(), "success", "baseline at " + version);
        } catch (SQLException e) {
            throw new SwitchbackException(ErrorCode.FAILED, "Baseline failed: " + e.getMessage(), e);
        }
    }
}

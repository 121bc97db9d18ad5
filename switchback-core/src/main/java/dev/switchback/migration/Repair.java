package dev.switchback.migration;

import dev.switchback.migration.lock.MigrationLock;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The repair verb: removes failed rows and re-records checksums after a deliberate edit (logged). */
final class Repair {
    private Repair() {
    }

    static RepairResult run(MigrationConfig config, List<Migration> migrations) {
        Map<Version, Migration> files = new HashMap<>();
        migrations.forEach(m -> files.put(m.version(), m));
        try (Database db = Database.open(config); MigrationLock lock = db.newLock()) {
            lock.acquire(config.lockTimeout());
            db.createTables();
            List<String> removed = new ArrayList<>();
            List<String> realigned = new ArrayList<>();
            for (AppliedMigration row : db.history.read(db.connection)) {
                if (AppliedMigration.FAILED.equals(row.state())) {
                    db.history.delete(db.connection, row.rank());
                    removed.add(row.version());
                    continue;
                }
                Migration m = row.isBaseline() || row.version() == null ? null : files.get(row.parsedVersion());
                if (m != null && row.succeeded() && !m.checksum().equals(row.checksum())) {
                    db.history.updateScript(db.connection, row.rank(), m.checksum(), m.upSql(), m.downSql());
                    realigned.add(row.version());
                }
            }
            db.audit("repair", String.join(",", realigned), "success",
                    "removed failed: " + removed + "; checksums re-recorded: " + realigned);
            return new RepairResult(removed, realigned);
        } catch (SQLException e) {
            throw new SwitchbackException(ErrorCode.FAILED, "Repair failed: " + e.getMessage(), e);
        }
    }
}

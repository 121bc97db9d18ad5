package dev.switchback.migration;

import java.sql.SQLException;
import java.util.List;

/** The highest applied version, from the history alone: for backups and status lines that need no files. */
final class CurrentVersion {
    private CurrentVersion() {
    }

    static String read(MigrationConfig config) {
        if (Database.isMissingSqliteFile(config)) {
            return null;
        }
        try (Database db = Database.open(config)) {
            List<AppliedMigration> rows = db.history.read(db.connection);
            return rows == null ? null : Migrate.str(PendingPlan.of(List.of(), rows, true, null).current);
        } catch (SQLException e) {
            throw new SwitchbackException(ErrorCode.FAILED, "Cannot read " + config.table() + ": " + e.getMessage(), e);
        }
    }
}

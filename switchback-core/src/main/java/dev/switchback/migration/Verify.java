package dev.switchback.migration;

import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The verify verb: every difference between the files and the history, with a diff for each edited file. */
final class Verify {
    private Verify() {
    }

    static VerifyReport of(MigrationConfig config, List<Migration> migrations) {
        if (Database.isMissingSqliteFile(config)) {
            return new VerifyReport(config.maskedUrl(), List.of(), Map.of());
        }
        try (Database db = Database.open(config)) {
            List<AppliedMigration> rows = db.history.read(db.connection);
            if (rows == null) {
                return new VerifyReport(config.maskedUrl(), List.of(), Map.of());
            }
            PendingPlan plan = PendingPlan.of(migrations, rows, config.outOfOrder(), null);
            Map<String, String> diffs = new LinkedHashMap<>();
            for (Problem p : plan.problems) {
                if (!p.type().equals(Problem.CHECKSUM_MISMATCH)) {
                    continue;
                }
                AppliedMigration row = rows.stream().filter(r -> p.version().equals(r.version()) && r.succeeded()).findFirst().orElseThrow();
                Migration m = migrations.stream().filter(x -> x.version().equals(row.parsedVersion())).findFirst().orElseThrow();
                String stored = db.history.sqlOf(db.connection, row.rank())[0];
                diffs.put(p.version(), UnifiedDiff.of(stored == null ? "" : stored, m.upSql(),
                        m.script() + " (applied)", m.script() + " (on disk)"));
            }
            return new VerifyReport(config.maskedUrl(), plan.problems, diffs);
        } catch (SQLException e) {
            throw new SwitchbackException(ErrorCode.FAILED, "Cannot verify " + config.maskedUrl() + ": " + e.getMessage(), e);
        }
    }
}

package dev.switchback.migration;

import dev.switchback.migration.schema.Difference;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The verify verb: every difference between the files and the history, with a diff for each edited file. */
final class Verify {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(Verify.class);
    private Verify() {
    }

    /** The schema check; a migration that cannot be replayed leaves the schema unchecked (said in the report), not verify failed. */
    private static DriftReport schemaOf(Database db, boolean replay, dev.switchback.migration.schema.DriftIgnore ignore) {
        try {
            return Drift.check(db, replay, ignore);
        } catch (SwitchbackException e) {
            return DriftReport.unchecked(db.config.maskedUrl(), e.getMessage());
        }
    }

    static VerifyReport of(MigrationConfig config, List<Migration> migrations, boolean replay,
                          dev.switchback.migration.schema.DriftIgnore ignore) {
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
            long started = System.nanoTime();
            DriftReport schema = schemaOf(db, replay, ignore);
            log.debug("Schema check of {} took {} ms", config.maskedUrl(), (System.nanoTime() - started) / 1_000_000);
            List<Problem> problems = new ArrayList<>(plan.problems);
            for (Difference d : schema.differences()) {
                problems.add(new Problem(Problem.SCHEMA_DRIFT, null, null, d.message()));
            }
            return new VerifyReport(config.maskedUrl(), problems, diffs, schema);
        } catch (SQLException e) {
            throw new SwitchbackException(ErrorCode.FAILED, "Cannot verify " + config.maskedUrl() + ": " + e.getMessage(), e);
        }
    }
}

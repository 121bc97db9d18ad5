package dev.switchback.migration;

import dev.switchback.migration.history.HistoryRow;
import dev.switchback.migration.lock.MigrationLock;
import dev.switchback.migration.schema.DriftIgnore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@code new --from-drift} on the database that drifted: writes the files and records them there as applied (they
 * describe what it already has), under the migration lock, then retakes the schema snapshot so drift is clean at once.
 * Refused with nothing written while migrations are pending: the new version must come after every other one, and the
 * schema must be the history's plus the drift.
 */
final class DriftRecording {
    static final String LOG_ACTION = "recorded-from-drift";

    private DriftRecording() {
    }

    /** {@code files} re-reads the migrations after writing, so the history row has the checksum the resolver gives. */
    static List<Path> run(MigrationConfig config, Supplier<List<Migration>> files, DriftIgnore ignore, String description,
                          Path dir, List<Path> locationDirs) {
        Path absolute = dir.toAbsolutePath().normalize();
        if (locationDirs.stream().noneMatch(l -> absolute.startsWith(l.toAbsolutePath().normalize()))) {
            throw new SwitchbackException(ErrorCode.CONFIG, dir + " is not among migrations.locations, so migrate would never "
                    + "see the migration recorded as applied; nothing was written. Write it there, or pass --no-record to only "
                    + "write the files (for applying elsewhere)");
        }
        List<Migration> before = files.get();
        try (Database db = Database.open(config); MigrationLock lock = db.newLock()) {
            lock.acquire(config.lockTimeout());
            PendingPlan plan = PendingPlan.of(before, history(db), config.outOfOrder(), null);
            if (!plan.pending.isEmpty()) {
                throw new SwitchbackException(ErrorCode.VERIFICATION, plan.pending.size() + " migration(s) pending in "
                        + config.maskedUrl() + " (first " + plan.pending.get(0).script() + "): the drift is recorded against a "
                        + "fully migrated database; nothing was written. Migrate first, or pass --no-record to only write the files");
            }
            DriftReport report = Drift.check(db, false, ignore);
            refuseNothingToRecord(report);
            List<Path> written = NewMigration.create(before, description, dir, report.toDatabase().script(),
                    report.toMigrations().script());
            try {
                Migration m = find(files.get(), written.get(0));
                if (plan.current != null && m.version().compareTo(plan.current) <= 0) {
                    throw new SwitchbackException(ErrorCode.VERIFICATION, "The new version " + m.version() + " is not after "
                            + config.maskedUrl() + "'s current version " + plan.current + " (a migration applied there has "
                            + "no file here); nothing was recorded");
                }
                db.connection.setAutoCommit(true);
                db.history.insert(db.connection, new HistoryRow(db.history.nextRank(db.connection), m.version().toString(),
                        m.description(), AppliedMigration.TYPE_SQL, m.script(), m.checksum(), m.upSql(), m.downSql(),
                        config.installedBy(), 0, AppliedMigration.SUCCESS, 0, null));
                db.audit(LOG_ACTION, m.version().toString(), "success", report.differences().size()
                        + " difference(s) written to " + m.script() + " and recorded as applied without running it");
                SchemaSnapshot.take(db, m.version().toString());
                return written;
            } catch (SQLException | RuntimeException e) {
                deleteQuietly(written);
                throw e instanceof SwitchbackException s ? s : new SwitchbackException(ErrorCode.FAILED, "Cannot record "
                        + written.get(0).getFileName() + " as applied: " + Database.oneLine(e) + "; the files were removed again", e);
            }
        }
    }

    /** Refused (CONFIG) when the drift cannot be checked or there is none. */
    static void refuseNothingToRecord(DriftReport report) {
        if (!report.checked()) {
            throw new SwitchbackException(ErrorCode.CONFIG, "Cannot record the drift of " + report.database() + ": " + report.unchecked());
        }
        if (report.clean()) {
            throw new SwitchbackException(ErrorCode.CONFIG, "No drift in " + report.database() + " to record; nothing was written");
        }
    }

    private static List<AppliedMigration> history(Database db) {
        try {
            db.createTables();
            return db.history.read(db.connection);
        } catch (SQLException e) {
            throw new SwitchbackException(ErrorCode.FAILED, "Cannot create or read " + db.config.table() + ": " + Database.oneLine(e), e);
        }
    }

    private static Migration find(List<Migration> migrations, Path up) {
        String name = up.getFileName().toString();
        return migrations.stream().filter(m -> m.script().endsWith(name)).findFirst()
                .orElseThrow(() -> new SwitchbackException(ErrorCode.CONFIG, up + " was written but the migration locations do "
                        + "not list it; nothing was recorded"));
    }

    private static void deleteQuietly(List<Path> written) {
        for (Path p : written) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException ignored) {
                // the failure being reported matters more
            }
        }
    }
}

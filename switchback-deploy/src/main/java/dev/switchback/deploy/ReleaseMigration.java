package dev.switchback.deploy;

import dev.switchback.migration.AppliedStep;
import dev.switchback.migration.MigrateResult;
import dev.switchback.migration.Migrator;

import java.util.List;

/**
 * A perform's migrate step, the same for every runtime: the release's migrations, lint waived by --allow-unsafe, the
 * pre-migration backup unless --no-backup. A failure is thrown as it came.
 */
public record ReleaseMigration(String schemaBefore, String schemaAfter, List<String> applied, String backupId) {
    public static final ReleaseMigration SKIPPED = new ReleaseMigration(null, null, List.of(), null);

    public static ReleaseMigration run(ReleaseMigrations migrations, PerformRequest req) {
        if (req.skipMigrations()) {
            return SKIPPED;
        }
        Migrator m = migrations.migrator(req.release());
        if (req.allowUnsafe()) {
            m = m.withConfig(m.config().withAllowUnsafe(true));
        }
        String before = m.currentVersion();
        if (migrations.backupBeforeMigrate() && !req.noBackup()) {
            m = m.withBeforeMigrate(migrations.backups(m).beforeMigrate(req.release()));
        }
        MigrateResult r = m.migrate();
        return new ReleaseMigration(before, r.to(), r.applied().stream().map(AppliedStep::version).toList(), r.backupId());
    }
}

package dev.switchback.migration;

import java.util.List;

/**
 * What migrate did.
 *
 * @param from     the highest applied version before, or null
 * @param to       the highest applied version after, or null
 * @param plan     with a dry run, what would run (and its SQL)
 * @param warnings problems that did not stop migrate (e.g. applied migrations whose file is gone)
 * @param backupId what {@link BeforeMigrate} returned (the backup taken first), or null
 * @param cachedAt when the answer is the one a recent check gave, without connecting (migrations.cacheTtl): the time
 *                 of that check (ISO-8601, UTC); else null
 */
public record MigrateResult(String database, String from, String to, List<AppliedStep> applied,
                            List<PlannedMigration> plan, boolean dryRun, boolean skipped, boolean upToDate,
                            long totalMs, List<Problem> warnings, String backupId, String cachedAt) {

    /** The result of a run that connected. */
    public MigrateResult(String database, String from, String to, List<AppliedStep> applied, List<PlannedMigration> plan,
                         boolean dryRun, boolean skipped, boolean upToDate, long totalMs, List<Problem> warnings,
                         String backupId) {
        this(database, from, to, applied, plan, dryRun, skipped, upToDate, totalMs, warnings, backupId, null);
    }
}

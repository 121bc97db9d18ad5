package dev.switchback.migration;

/**
 * What migrate did, and the status after it ({@link Migrator#migrateWithStatus()}): read on migrate's own connection,
 * from the history and files it had already read when it found nothing to do.
 *
 * @param status null when migrate connected to nothing: skipped, or a dry run
 */
public record MigrateReport(MigrateResult result, StatusReport status) {
}

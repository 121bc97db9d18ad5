package dev.switchback.backup;

import java.util.List;

/**
 * What a restore changed.
 *
 * @param safetyBackupId the backup of the state before the restore (restore it to undo this one), or null
 * @param migratedTo     the version reached by --migrate-to, or null
 */
public record RestoreResult(String id, String label, String database, String into, String versionBefore,
                            String versionAfter, List<String> tables, String safetyBackupId, List<String> filesRestored,
                            String atomicity, String migratedTo) {
}

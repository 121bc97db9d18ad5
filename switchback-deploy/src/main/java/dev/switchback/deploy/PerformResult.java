package dev.switchback.deploy;

import java.util.List;

/**
 * What a perform did.
 *
 * @param switched whether traffic moved to the new release (false with --no-auto-switch)
 * @param next     what to run next, when the perform stopped short of switching
 */
public record PerformResult(String release, String slot, String previousRelease, String schemaBefore, String schemaAfter,
                            List<String> migrationsApplied, String backupId, List<String> healthChecks, boolean switched,
                            boolean cleanedUp, String snapshot, String next) {
}

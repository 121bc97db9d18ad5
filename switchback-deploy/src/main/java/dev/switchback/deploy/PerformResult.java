package dev.switchback.deploy;

import java.util.List;

/**
 * What a perform did.
 *
 * @param previousWarm whether the previous release's process still runs after the perform (warm for an instant rollback)
 * @param switched     whether traffic moved to the new release (false with --no-auto-switch or --skip-health)
 * @param next         what to run next, when the perform stopped short of switching
 */
public record PerformResult(String release, String slot, String previousRelease, boolean previousWarm, String schemaBefore,
                            String schemaAfter, List<String> migrationsApplied, String backupId, List<String> healthChecks,
                            boolean switched, boolean cleanedUp, String snapshot, String next) {
}

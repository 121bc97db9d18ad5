package dev.switchback.deploy;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;
import java.util.List;

/**
 * A perform's metadata.json in its snapshot: what was deployed where, what the migrations did, what the health gate saw
 * and how it ended. Built up as the perform goes (each step returns a new record); fields a perform has not reached are
 * left out, except the migration's four, which are written as null when nothing was migrated (rollback reads them).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PerformRecord(String timestamp, String release, String slot,
                            @JsonInclude(JsonInclude.Include.ALWAYS) String previousRelease,
                            @JsonInclude(JsonInclude.Include.ALWAYS) String schemaBefore,
                            @JsonInclude(JsonInclude.Include.ALWAYS) String schemaAfter,
                            @JsonInclude(JsonInclude.Include.ALWAYS) List<String> migrationsApplied,
                            @JsonInclude(JsonInclude.Include.ALWAYS) String backupId,
                            Health health, Boolean switched, String strategy, String outcome, String detail) {

    /** What the health gate saw, and the limits it ran under. */
    public record Health(boolean healthy, List<String> checks, long elapsedMs, long timeoutMs, long intervalMs) {
    }

    static PerformRecord started(String release, Slot slot, String previousRelease) {
        return new PerformRecord(Instant.now().toString(), release, slot.id(), previousRelease, null, null, null, null, null, null, null,
                null, null);
    }

    PerformRecord migrated(ReleaseMigration m) {
        return new PerformRecord(timestamp, release, slot, previousRelease, m.schemaBefore(), m.schemaAfter(), m.applied(), m.backupId(),
                health, switched, strategy, outcome, detail);
    }

    PerformRecord checked(Health h) {
        return new PerformRecord(timestamp, release, slot, previousRelease, schemaBefore, schemaAfter, migrationsApplied, backupId, h,
                switched, strategy, outcome, detail);
    }

    PerformRecord succeeded(boolean switchedTo, String how) {
        return new PerformRecord(timestamp, release, slot, previousRelease, schemaBefore, schemaAfter, migrationsApplied, backupId,
                health, switchedTo, how, "success", detail);
    }

    PerformRecord failed(String how, String why) {
        return new PerformRecord(timestamp, release, slot, previousRelease, schemaBefore, schemaAfter, migrationsApplied, backupId,
                health, switched, strategy, how, why);
    }
}

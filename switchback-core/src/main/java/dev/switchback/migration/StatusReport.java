package dev.switchback.migration;

import java.util.List;

/** Applied and pending migrations, problems and the lock holder: what {@code status --json} prints. */
public record StatusReport(String database, String current, List<Applied> applied, List<Pending> pending,
                           List<Problem> problems, Lock lock) {

    public record Applied(String version, String description, String script, String checksum, String appliedAt,
                          long executionMs, String state, boolean hasDown) {
    }

    public record Pending(String version, String description, String script) {
    }

    public record Lock(String holder, String since) {
    }
}

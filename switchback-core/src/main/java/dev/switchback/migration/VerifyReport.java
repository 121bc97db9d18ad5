package dev.switchback.migration;

import java.util.List;
import java.util.Map;

/**
 * The result of verify.
 *
 * @param diffs  for each checksum_mismatch, by version: a unified diff from the stored SQL to the file
 * @param schema the live schema against the applied migrations' (its differences are also {@code schema_drift} problems)
 */
public record VerifyReport(String database, List<Problem> problems, Map<String, String> diffs, DriftReport schema) {
    public VerifyReport(String database, List<Problem> problems, Map<String, String> diffs) {
        this(database, problems, diffs, DriftReport.unchecked(database, "no history yet"));
    }

    public boolean clean() {
        return problems.isEmpty();
    }
}

package dev.switchback.migration;

import java.util.List;
import java.util.Map;

/**
 * The result of verify.
 *
 * @param diffs for each checksum_mismatch, by version: a unified diff from the stored SQL to the file
 */
public record VerifyReport(String database, List<Problem> problems, Map<String, String> diffs) {
    public boolean clean() {
        return problems.isEmpty();
    }
}

package dev.switchback.migration;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What migrate would do, computed from the files and the history: the pending migrations in order,
 * which of them resume a partial run or retry a failed one, and the problems found on the way.
 */
final class PendingPlan {
    final List<Migration> pending = new ArrayList<>();
    final List<Problem> problems = new ArrayList<>();
    /** Pending migrations that already have a failed or partial row, by version. */
    final Map<Version, AppliedMigration> unfinished = new HashMap<>();
    final Version current;
    final Version baseline;

    private PendingPlan(Version current, Version baseline) {
        this.current = current;
        this.baseline = baseline;
    }

    static PendingPlan of(List<Migration> migrations, List<AppliedMigration> history, boolean outOfOrder, Version target) {
        Map<Version, AppliedMigration> done = new HashMap<>(history.size() * 2);
        Map<Version, AppliedMigration> unfinished = new HashMap<>();
        // a row is matched to its file by the version as written first (no parsing, and the file's parsed version
        // is reused); only a row written differently (002 for 2) or without a file has its version parsed
        Map<String, Migration> byText = new HashMap<>(migrations.size() * 2);
        for (Migration m : migrations) {
            byText.putIfAbsent(m.version().toString(), m);
        }
        Map<Version, Migration> byVersion = null;
        Version current = null;
        Version baseline = null;
        Version[] parsed = new Version[history.size()]; // each row's version, parsed once
        Migration[] file = new Migration[history.size()];
        for (int i = 0; i < history.size(); i++) {
            AppliedMigration row = history.get(i);
            if (row.version() == null || !Version.isValid(row.version())) {
                continue;
            }
            Migration m = byText.get(row.version());
            Version v = m != null ? m.version() : row.parsedVersion();
            if (m == null) {
                if (byVersion == null) {
                    byVersion = new HashMap<>(migrations.size() * 2);
                    for (Migration each : migrations) {
                        byVersion.put(each.version(), each);
                    }
                }
                m = byVersion.get(v);
            }
            parsed[i] = v;
            file[i] = m;
            if (row.isBaseline()) {
                baseline = v;
            } else if (row.succeeded()) {
                done.put(v, row);
            } else {
                unfinished.put(v, row);
            }
            if (row.succeeded() && (current == null || v.compareTo(current) > 0)) {
                current = v;
            }
        }
        PendingPlan plan = new PendingPlan(current, baseline);
        for (int i = 0; i < history.size(); i++) {
            AppliedMigration row = history.get(i);
            if (row.isBaseline() || row.version() == null) {
                continue;
            }
            if (parsed[i] == null) {
                row.parsedVersion(); // not a version: says so, as it always has
            }
            Migration m = file[i];
            if (m == null) {
                if (row.succeeded()) {
                    plan.problems.add(new Problem(Problem.MISSING_FILE, row.version(), row.script(),
                            "applied migration " + row.version() + " (" + row.script() + ") has no file in the locations"));
                }
            } else if (row.succeeded() && !m.checksum().equals(row.checksum())) {
                plan.problems.add(new Problem(Problem.CHECKSUM_MISMATCH, row.version(), m.script(),
                        m.script() + " was edited after it was applied (checksum " + shortSum(row.checksum()) + " in the history, "
                                + shortSum(m.checksum()) + " on disk); revert the edit, or run `switchback repair` if it was deliberate"));
            }
            if (AppliedMigration.FAILED.equals(row.state())) {
                plan.problems.add(new Problem(Problem.FAILED, row.version(), row.script(),
                        "migration " + row.version() + " failed and was rolled back; migrate retries it, repair removes the row"));
            } else if (AppliedMigration.PARTIAL.equals(row.state())) {
                plan.problems.add(new Problem(Problem.PARTIAL, row.version(), row.script(),
                        "migration " + row.version() + " stopped after " + row.statementsDone()
                                + " statement(s); migrate resumes at statement " + (row.statementsDone() + 1)));
            }
        }
        for (Migration m : migrations) {
            Version v = m.version();
            if (done.containsKey(v) || (baseline != null && v.compareTo(baseline) <= 0)) {
                continue;
            }
            if (target != null && v.compareTo(target) > 0) {
                continue;
            }
            if (current != null && v.compareTo(current) < 0 && !outOfOrder && !unfinished.containsKey(v)) {
                plan.problems.add(new Problem(Problem.OUT_OF_ORDER, m.version().toString(), m.script(),
                        "pending migration " + m.version() + " is lower than the highest applied version " + current
                                + "; set migrations.outOfOrder: true to apply it, or renumber it"));
                continue;
            }
            plan.pending.add(m);
            AppliedMigration row = unfinished.get(v);
            if (row != null) {
                plan.unfinished.put(v, row);
            }
        }
        return plan;
    }

    /** Problems that stop migrate: drift of a file it has, or an out-of-order version it was not told to apply. */
    List<Problem> blocking() {
        return problems.stream().filter(p -> p.type().equals(Problem.CHECKSUM_MISMATCH) || p.type().equals(Problem.OUT_OF_ORDER)).toList();
    }

    boolean upToDate() {
        return pending.isEmpty() && blocking().isEmpty();
    }

    private static String shortSum(String sum) {
        return sum == null ? "none" : sum.substring(0, Math.min(12, sum.length()));
    }
}

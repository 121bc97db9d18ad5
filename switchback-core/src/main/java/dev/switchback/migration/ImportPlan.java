package dev.switchback.migration;

import java.time.Instant;
import java.util.List;

/**
 * What {@code import} found in another tool's history and did with it: the migrations it records (or would record)
 * as applied, the files left pending, and every problem. Nothing is written unless there is no problem.
 *
 * @param tool     the tool's command-line name ({@code flyway}, ..., {@code table})
 * @param table    the table read
 * @param imported the rows for the Switchback history, in version order
 * @param pending  the scripts after the last applied version: the next {@code migrate} applies them
 * @param problems rows without a file ({@code missing_file}), files between applied versions without a row
 *                 ({@code unrecorded_file}), failed rows ({@code failed}), a dirty golang-migrate version
 *                 ({@code dirty}), a Flyway checksum that differs from the file's ({@code checksum_mismatch}) and rows
 *                 Switchback has no equivalent for ({@code unsupported})
 * @param written  whether the rows were written (false for a dry run and whenever there is a problem)
 */
public record ImportPlan(String tool, String table, List<Entry> imported, List<String> pending, List<Problem> problems,
                         boolean written) {
    public static final String UNRECORDED_FILE = "unrecorded_file";
    public static final String DIRTY = "dirty";
    public static final String UNSUPPORTED = "unsupported";

    /**
     * A migration recorded as applied.
     *
     * @param appliedAt when the other tool applied it, or null when it does not say (the import's time is recorded)
     * @param appliedBy who applied it, or null when it does not say (the configured installedBy is recorded)
     * @param baseline  a Flyway baseline, recorded as a Switchback baseline
     */
    public record Entry(String version, String script, Instant appliedAt, String appliedBy, boolean baseline) {
    }

    public ImportPlan {
        imported = List.copyOf(imported);
        pending = List.copyOf(pending);
        problems = List.copyOf(problems);
    }

    public boolean clean() {
        return problems.isEmpty();
    }

    ImportPlan asWritten() {
        return new ImportPlan(tool, table, imported, pending, problems, true);
    }
}

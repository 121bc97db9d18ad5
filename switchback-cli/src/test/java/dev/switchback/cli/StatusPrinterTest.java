package dev.switchback.cli;

import dev.switchback.migration.Problem;
import dev.switchback.migration.StatusReport;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The status text, padded by hand, is the one String.format printed line by line before. */
class StatusPrinterTest {
    /** The earlier printer, line by line with String.format: the reference. */
    private static String formatted(StatusReport r) {
        List<String> lines = new ArrayList<>();
        lines.add(String.format("Database: %s", r.database()));
        lines.add(String.format("Current version: %s", r.current() == null ? "none" : r.current()));
        lines.add(String.format("Lock: %s", r.lock() == null ? "free" : "held by " + r.lock().holder() + " since " + r.lock().since()));
        StatusReport.SchemaState schema = r.schema() == null ? StatusReport.SchemaState.UNKNOWN : r.schema();
        lines.add(String.format("Schema: %s", schema.drift() == null ? "not checked (no snapshot of this history; 'switchback drift --replay' checks it)"
                : (schema.drift() ? "DRIFTED" : "as migrated") + " (snapshot at version " + schema.version() + ", sha256:"
                + schema.hash().substring(0, 16) + (schema.drift() ? "; 'switchback drift' shows the differences)" : ")")));
        lines.add("");
        if (r.applied().isEmpty()) {
            lines.add("Applied: none");
        } else {
            int vw = Math.max(7, r.applied().stream().mapToInt(a -> String.valueOf(a.version()).length()).max().orElse(7));
            int dw = Math.max(11, Math.min(40, r.applied().stream().mapToInt(a -> a.description().length()).max().orElse(11)));
            String fmt = "%-" + vw + "s  %-" + dw + "s  %-8s  %-24s  %8s  %s";
            lines.add(String.format(fmt, "Version", "Description", "State", "Applied at", "Time", "Down"));
            for (StatusReport.Applied a : r.applied()) {
                String desc = a.description().length() > dw ? a.description().substring(0, dw - 3) + "..." : a.description();
                lines.add(String.format(fmt, a.version(), desc, a.state(), a.appliedAt() == null ? "" : a.appliedAt(),
                        a.executionMs() + " ms", a.hasDown() ? "yes" : "no"));
            }
        }
        lines.add("");
        if (r.pending().isEmpty()) {
            lines.add("Pending: none");
        } else {
            lines.add(String.format("Pending (%d):", r.pending().size()));
            for (StatusReport.Pending p : r.pending()) {
                lines.add(String.format("  %s  %s  (%s)", p.version(), p.description(), p.script()));
            }
        }
        if (!r.problems().isEmpty()) {
            lines.add("");
            lines.add(String.format("Problems (%d):", r.problems().size()));
            for (Problem p : r.problems()) {
                lines.add(String.format("  %s: %s", p.type(), p.message()));
            }
        }
        return String.join("\n", lines);
    }

    @Test
    void printsWhatStringFormatPrinted() {
        List<StatusReport.Applied> applied = List.of(
                new StatusReport.Applied("1", "create items", "V1__create_items.sql", "c", "2026-12-06T04:33:10.123Z", 12, "success", true),
                new StatusReport.Applied("2.10.3", "a description much longer than forty characters, cut short", "V2.10.3__x.sql", "c",
                        null, 123456789, "partial", false),
                new StatusReport.Applied("20261206043310", "", "20261206043310_x.sql", "c", "2026-12-06T04:33:10Z", 0, "failed", false));
        List<StatusReport.Pending> pending = List.of(new StatusReport.Pending("3", "add index", "V3__add_index.sql"));
        List<Problem> problems = List.of(new Problem("checksum_mismatch", "1", "V1__create_items.sql", "V1__create_items.sql was edited after it was applied"));
        StatusReport[] reports = {
                new StatusReport("jdbc:postgresql://h/db", "20261206043310", applied, pending, problems,
                        new StatusReport.Lock("host:123", "2026-12-06T04:33:10Z")),
                new StatusReport("jdbc:sqlite:x.db", null, List.of(), List.of(), List.of(), null),
                new StatusReport("jdbc:sqlite:x.db", "1", applied.subList(0, 1), List.of(), List.of(), null),
                new StatusReport("jdbc:sqlite:x.db", "1", applied.subList(0, 1), List.of(), List.of(), null,
                        new StatusReport.SchemaState("1", "0123456789abcdef0123456789abcdef", false)),
                new StatusReport("jdbc:sqlite:x.db", "1", applied.subList(0, 1), List.of(), List.of(), null,
                        new StatusReport.SchemaState("1", "0123456789abcdef0123456789abcdef", true))};
        for (StatusReport r : reports) {
            assertThat(StatusPrinter.text(r, null)).isEqualTo(formatted(r));
        }
    }
}

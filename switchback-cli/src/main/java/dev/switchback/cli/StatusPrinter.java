package dev.switchback.cli;

import dev.switchback.migration.Problem;
import dev.switchback.migration.StatusReport;

/** The human form of status: a table of applied migrations, then pending, problems and the lock. */
final class StatusPrinter {
    private StatusPrinter() {
    }

    static void print(Output out, StatusReport r) {
        out.line("Database: %s", r.database());
        out.line("Current version: %s", r.current() == null ? "none" : r.current());
        out.line("Lock: %s", r.lock() == null ? "free" : "held by " + r.lock().holder() + " since " + r.lock().since());
        StatusReport.SchemaState schema = r.schema() == null ? StatusReport.SchemaState.UNKNOWN : r.schema();
        out.line("Schema: %s", schema.drift() == null ? "not checked (no snapshot of this history; 'switchback drift --replay' checks it)"
                : (schema.drift() ? "DRIFTED" : "as migrated") + " (snapshot at version " + schema.version() + ", sha256:"
                + schema.hash().substring(0, 16) + (schema.drift() ? "; 'switchback drift' shows the differences)" : ")"));
        out.line("");
        if (r.applied().isEmpty()) {
            out.line("Applied: none");
        } else {
            int vw = Math.max(7, r.applied().stream().mapToInt(a -> String.valueOf(a.version()).length()).max().orElse(7));
            int dw = Math.max(11, Math.min(40, r.applied().stream().mapToInt(a -> a.description().length()).max().orElse(11)));
            String fmt = "%-" + vw + "s  %-" + dw + "s  %-8s  %-24s  %8s  %s";
            out.line(fmt, "Version", "Description", "State", "Applied at", "Time", "Down");
            for (StatusReport.Applied a : r.applied()) {
                String desc = a.description().length() > dw ? a.description().substring(0, dw - 3) + "..." : a.description();
                out.line(fmt, a.version(), desc, a.state(), a.appliedAt() == null ? "" : a.appliedAt(),
                        a.executionMs() + " ms", a.hasDown() ? "yes" : "no");
            }
        }
        out.line("");
        if (r.pending().isEmpty()) {
            out.line("Pending: none");
        } else {
            out.line("Pending (%d):", r.pending().size());
            for (StatusReport.Pending p : r.pending()) {
                out.line("  %s  %s  (%s)", p.version(), p.description(), p.script());
            }
        }
        if (!r.problems().isEmpty()) {
            out.line("");
            out.line("Problems (%d):", r.problems().size());
            for (Problem p : r.problems()) {
                out.line("  %s: %s", p.type(), p.message());
            }
        }
    }
}

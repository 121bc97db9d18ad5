package dev.switchback.cli;

import dev.switchback.migration.Problem;
import dev.switchback.migration.StatusReport;

/** The human form of status: a table of applied migrations, then pending, problems and the lock. */
final class StatusPrinter {
    private StatusPrinter() {
    }

    /** @param urlFrom where the database URL came from ({@code --url}, {@code DATABASE_URL}...), or null */
    static void print(Output out, StatusReport r, String urlFrom) {
        out.line(text(r, urlFrom));
    }

    /**
     * The whole report as one text, without the last line break: printed in one write, and padded by hand, because
     * String.format's parser and a flush per line were a tenth of a fresh {@code status}'s CPU with 2,000 rows.
     */
    static String text(StatusReport r, String urlFrom) {
        StringBuilder b = new StringBuilder(256 + r.applied().size() * 100);
        b.append("Database: ").append(r.database());
        if (urlFrom != null) {
            b.append(" (from ").append(urlFrom).append(')');
        }
        b.append('\n');
        b.append("Current version: ").append(r.current() == null ? "none" : r.current()).append('\n');
        b.append("Lock: ").append(r.lock() == null ? "free" : "held by " + r.lock().holder() + " since " + r.lock().since()).append('\n');
        StatusReport.SchemaState schema = r.schema() == null ? StatusReport.SchemaState.UNKNOWN : r.schema();
        b.append("Schema: ").append(schema.drift() == null ? "not checked (no snapshot of this history; 'switchback drift --replay' checks it)"
                : (schema.drift() ? "DRIFTED" : "as migrated") + " (snapshot at version " + schema.version() + ", sha256:"
                + schema.hash().substring(0, 16) + (schema.drift() ? "; 'switchback drift' shows the differences)" : ")")).append('\n');
        b.append('\n');
        if (r.applied().isEmpty()) {
            b.append("Applied: none\n");
        } else {
            int vw = 7;
            int dw = 11;
            for (StatusReport.Applied a : r.applied()) {
                vw = Math.max(vw, String.valueOf(a.version()).length());
                dw = Math.max(dw, Math.min(40, a.description().length()));
            }
            row(b, vw, dw, "Version", "Description", "State", "Applied at", "Time", "Down");
            for (StatusReport.Applied a : r.applied()) {
                String desc = a.description().length() > dw ? a.description().substring(0, dw - 3) + "..." : a.description();
                row(b, vw, dw, String.valueOf(a.version()), desc, String.valueOf(a.state()), a.appliedAt() == null ? "" : a.appliedAt(),
                        a.executionMs() + " ms", a.hasDown() ? "yes" : "no");
            }
        }
        b.append('\n');
        if (r.pending().isEmpty()) {
            b.append("Pending: none");
        } else {
            b.append("Pending (").append(r.pending().size()).append("):");
            for (StatusReport.Pending p : r.pending()) {
                b.append("\n  ").append(p.version()).append("  ").append(p.description()).append("  (").append(p.script()).append(')');
            }
        }
        if (!r.problems().isEmpty()) {
            b.append("\n\nProblems (").append(r.problems().size()).append("):");
            for (Problem p : r.problems()) {
                b.append("\n  ").append(p.type()).append(": ").append(p.message());
            }
        }
        return b.toString();
    }

    /** One line of the applied table, as {@code %-<vw>s  %-<dw>s  %-8s  %-24s  %8s  %s} would print it. */
    private static void row(StringBuilder b, int vw, int dw, String version, String description, String state, String at,
                            String time, String down) {
        left(b, version, vw).append("  ");
        left(b, description, dw).append("  ");
        left(b, state, 8).append("  ");
        left(b, at, 24).append("  ");
        b.append(" ".repeat(Math.max(0, 8 - time.length()))).append(time).append("  ").append(down).append('\n');
    }

    private static StringBuilder left(StringBuilder b, String s, int width) {
        b.append(s);
        for (int i = s.length(); i < width; i++) {
            b.append(' ');
        }
        return b;
    }
}

package dev.switchback.migration.lint;

/** The human-readable lint report: one block per finding, then a summary line. */
public final class TextReport {
    private TextReport() {
    }

    public static String render(LintReport report) {
        StringBuilder sb = new StringBuilder();
        for (Finding f : report.findings()) {
            sb.append(f.location()).append(": ").append(f.severity().label()).append(' ').append(f.rule());
            if (f.ignored() != null) {
                sb.append(" (ignored: ").append(f.ignored()).append(')');
            }
            sb.append(": ").append(f.message()).append('\n');
            sb.append("    ").append(f.statement()).append('\n');
            if (f.ignored() == null) {
                sb.append("    fix: ").append(f.fix()).append('\n');
            }
        }
        if (sb.length() > 0) {
            sb.append('\n');
        }
        sb.append(summary(report)).append('\n');
        return sb.toString();
    }

    /** "3 migrations, 12 statements: 1 error, 2 warnings, 0 info, 1 ignored." */
    public static String summary(LintReport report) {
        String scope = report.migrations().size() + " migration" + (report.migrations().size() == 1 ? "" : "s") + ", "
                + report.statements() + " statement" + (report.statements() == 1 ? "" : "s");
        if (report.findings().isEmpty()) {
            return scope + ": no findings.";
        }
        return scope + ": " + plural(report.count(Severity.ERROR), "error") + ", " + plural(report.count(Severity.WARNING), "warning")
                + ", " + report.count(Severity.INFO) + " info, " + report.ignored() + " ignored.";
    }

    static String plural(long n, String word) {
        return n + " " + word + (n == 1 ? "" : "s");
    }
}

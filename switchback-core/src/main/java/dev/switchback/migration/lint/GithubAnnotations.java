package dev.switchback.migration.lint;

/**
 * GitHub Actions workflow commands, one per finding: {@code ::error file=...,line=...,title=<rule>::message}, which
 * GitHub shows on the pull request's diff. Warnings become {@code ::warning}, information and ignored findings
 * {@code ::notice}.
 */
public final class GithubAnnotations {
    private GithubAnnotations() {
    }

    public static String render(LintReport report) {
        StringBuilder sb = new StringBuilder();
        for (Finding f : report.findings()) {
            String level = f.ignored() != null || f.severity() == Severity.INFO ? "notice"
                    : f.severity() == Severity.ERROR ? "error" : "warning";
            String text = f.message() + (f.ignored() != null ? ". Ignored: " + f.ignored() : ". Fix: " + f.fix());
            sb.append("::").append(level).append(" file=").append(property(f.file())).append(",line=").append(f.line())
                    .append(",title=").append(property(f.rule() + (f.ignored() != null ? " (ignored)" : ""))).append("::")
                    .append(data(text)).append('\n');
        }
        return sb.toString();
    }

    // the escaping of @actions/core: data escapes %, CR and LF; properties also ':' and ','
    static String data(String s) {
        return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A");
    }

    static String property(String s) {
        return data(s).replace(":", "%3A").replace(",", "%2C");
    }
}

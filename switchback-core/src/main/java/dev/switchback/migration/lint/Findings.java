package dev.switchback.migration.lint;

import dev.switchback.migration.Directives;
import dev.switchback.migration.sql.SqlToken;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects the findings of one migration, applying the configured severities, the contract phase (compatibility
 * rules become informational) and the ignore directives (kept in the report, with their reason).
 */
final class Findings {
    private final LintConfig config;
    private final String script;
    private final Directives directives;
    private final List<Finding> list = new ArrayList<>();

    /** Why compatibility findings are informational here, when the directives say it is a contract step. */
    private final String contractNote;

    Findings(LintConfig config, String script, Directives directives) {
        this(config, script, directives, "expected in this contract migration");
    }

    Findings(LintConfig config, String script, Directives directives, String contractNote) {
        this.config = config;
        this.script = script;
        this.directives = directives;
        this.contractNote = contractNote;
    }

    void add(Rule rule, Stmt s, SqlToken at, String message) {
        add(rule, s, at, message, rule.fix());
    }

    void add(Rule rule, Stmt s, SqlToken at, String message, String fix) {
        Severity severity = config.severity(rule);
        if (severity == null) {
            return;
        }
        if (directives.contract() && rule.category() == Rule.Category.COMPATIBILITY) {
            severity = Severity.INFO;
            message = message + " (" + contractNote + ")";
        }
        int line = at != null ? at.line() : s.statement.line();
        list.add(new Finding(rule.id(), severity, script, line, s.oneLine(), message, fix, reason(rule, s)));
    }

    private String reason(Rule rule, Stmt s) {
        for (Directives.Ignore i : s.ignores) {
            if (i.rule().equals(rule.id())) {
                return i.reason();
            }
        }
        for (Directives.Ignore i : directives.ignores()) {
            if (i.rule().equals(rule.id())) {
                return i.reason();
            }
        }
        return null;
    }

    List<Finding> list() {
        return list;
    }
}

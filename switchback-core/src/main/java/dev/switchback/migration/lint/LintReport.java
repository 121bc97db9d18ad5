package dev.switchback.migration.lint;

import java.util.List;

/** Everything lint found in a set of migrations, in script and line order. */
public record LintReport(List<Finding> findings, List<MigrationLint> migrations) {

    public LintReport {
        findings = List.copyOf(findings);
        migrations = List.copyOf(migrations);
    }

    /** Errors not accepted by an ignore directive: lint exits 1, migrate refuses. */
    public List<Finding> blocking() {
        return findings.stream().filter(Finding::blocks).toList();
    }

    public long count(Severity severity) {
        return findings.stream().filter(f -> f.severity() == severity && f.ignored() == null).count();
    }

    public long ignored() {
        return findings.stream().filter(f -> f.ignored() != null).count();
    }

    public int statements() {
        return migrations.stream().mapToInt(m -> m.statements().size()).sum();
    }

    /** The findings of one script. */
    public List<Finding> of(String script) {
        return findings.stream().filter(f -> f.file().equals(script)).toList();
    }
}

package dev.switchback.migration.lint;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The migration checklist for a pull request (seed 004: rollback strategy, expected lock behaviour, backfill plan,
 * runtime compatibility), filled in from lint and, with {@code --rehearse}, from what PostgreSQL did. A ticked item
 * needs no attention; an unticked one says what to do.
 */
public final class MarkdownChecklist {
    private MarkdownChecklist() {
    }

    /** @param rehearsal the rehearsal of the same migrations, or null */
    public static String render(LintReport report, RehearsalReport rehearsal) {
        StringBuilder sb = new StringBuilder("## Migration checklist\n\n");
        sb.append("`switchback lint`: ").append(TextReport.summary(report));
        if (rehearsal != null) {
            sb.append(" Rehearsed on ").append(rehearsal.server()).append(" in ").append(rehearsal.totalMs())
                    .append(" ms: ").append(rehearsal.disagreements() == 0 ? "lint and the observed locks agree."
                            : TextReport.plural(rehearsal.disagreements(), "statement") + " where lint and the observation differ.");
        }
        sb.append('\n');
        Map<String, RehearsalReport.Migration> rehearsed = rehearsal == null ? Map.of()
                : rehearsal.migrations().stream().collect(Collectors.toMap(RehearsalReport.Migration::script, Function.identity()));
        for (MigrationLint m : report.migrations()) {
            migration(sb, m, report.of(m.script()), rehearsed.get(m.script()));
        }
        return sb.toString();
    }

    private static void migration(StringBuilder sb, MigrationLint m, List<Finding> findings, RehearsalReport.Migration observed) {
        sb.append("\n### ").append(code(m.script())).append("\n\n");
        sb.append(m.version() == null ? "" : "Version " + m.version() + " · ").append("phase: ").append(m.phase()).append(" · ")
                .append(m.transactional() ? "runs in one transaction" : "runs statement by statement").append("\n\n");
        table(sb, m, observed);
        List<Finding> open = findings.stream().filter(f -> f.ignored() == null && f.severity() != Severity.INFO).toList();
        sb.append('\n');
        lockItem(sb, m, of(open, Rule.Category.LOCKING, false));
        compatibilityItem(sb, m, findings);
        rollbackItem(sb, m);
        backfillItem(sb, m, open);
        List<Finding> unverified = open.stream().filter(f -> f.rule().equals(Rule.UNVERIFIED_STATEMENT.id())).toList();
        if (!unverified.isEmpty()) {
            item(sb, false, "Unverified statements", "lint could not check " + lines(unverified)
                    + "; review them by hand, or run `switchback lint --rehearse` to see the locks they take");
        }
        List<Finding> ignored = findings.stream().filter(f -> f.ignored() != null).toList();
        if (!ignored.isEmpty()) {
            sb.append("\nAccepted with `-- switchback:ignore`:\n");
            for (Finding f : ignored) {
                sb.append("- ").append(code(f.rule())).append(" at line ").append(f.line()).append(": ").append(escape(f.ignored()))
                        .append('\n');
            }
        }
        if (observed != null && observed.note() != null) {
            sb.append("\nRehearsal: ").append(escape(observed.note())).append('\n');
        }
    }

    private static void table(StringBuilder sb, MigrationLint m, RehearsalReport.Migration observed) {
        boolean withRehearsal = observed != null && observed.rehearsed();
        sb.append("| # | Line | Statement | Lock | Rewrites table |").append(withRehearsal ? " Observed (rehearsal) |" : "").append('\n');
        sb.append("| --- | --- | --- | --- | --- |").append(withRehearsal ? " --- |" : "").append('\n');
        for (StatementLint s : m.statements()) {
            sb.append("| ").append(s.number()).append(" | ").append(s.line()).append(" | ").append(code(s.sql())).append(" | ")
                    .append(escape(s.lock())).append(" | ").append(s.rewrite() == null ? "cannot tell" : s.rewrite() ? "**yes**" : "no")
                    .append(" |");
            if (withRehearsal) {
                RehearsalReport.Statement o = observed.statements().stream().filter(x -> x.number() == s.number()).findFirst().orElse(null);
                sb.append(' ').append(o == null ? "not run" : escape(o.observed()).replace("Differs from lint:", "**Differs from lint:**"))
                        .append(" |");
            }
            sb.append('\n');
        }
    }

    private static void lockItem(StringBuilder sb, MigrationLint m, List<Finding> locking) {
        if (!locking.isEmpty()) {
            item(sb, false, "Lock behaviour", describe(locking));
            return;
        }
        List<String> brief = m.statements().stream().filter(s -> !s.locks().isEmpty() && s.lock().contains("AccessExclusiveLock"))
                .map(s -> "line " + s.line()).toList();
        item(sb, true, "Lock behaviour", brief.isEmpty() ? "nothing blocks reads or writes on an existing table"
                : "only brief catalog locks on existing tables (" + String.join(", ", brief) + "); reads and writes wait "
                + "for milliseconds, or for the lock timeout if a long transaction holds the table");
    }

    private static void compatibilityItem(StringBuilder sb, MigrationLint m, List<Finding> findings) {
        List<Finding> compat = of(findings, Rule.Category.COMPATIBILITY, true);
        if ("contract".equals(m.phase())) {
            item(sb, true, "Compatibility with the previous release", "contract step: apply it only after the previous "
                    + "release is gone" + (compat.isEmpty() ? "" : " (" + lines(compat) + ")"));
            return;
        }
        List<Finding> open = compat.stream().filter(f -> f.ignored() == null).toList();
        if (open.isEmpty()) {
            item(sb, true, "Compatibility with the previous release", "nothing the serving release uses is dropped, renamed "
                    + "or made required" + (compat.isEmpty() ? "" : " (accepted: " + lines(compat) + ")"));
        } else {
            item(sb, false, "Compatibility with the previous release", describe(open)
                    + ". Split it: expand now, contract (`-- switchback:phase=contract`) once the previous release is gone");
        }
    }

    private static void rollbackItem(StringBuilder sb, MigrationLint m) {
        String v = m.version() == null ? "<version>" : m.version();
        if (m.hasDown()) {
            item(sb, true, "Rollback path", "down migration " + code(m.downScript()) + ": `switchback rollback --version " + v + "`");
        } else {
            item(sb, false, "Rollback path", "no down migration. Restore the backup migrate takes before it (`switchback backup "
                    + "restore pre-" + v + "`), or write a corrective migration (`switchback new fix_...`); better, add a down migration");
        }
    }

    private static void backfillItem(StringBuilder sb, MigrationLint m, List<Finding> open) {
        List<Finding> backfills = open.stream().filter(f -> f.rule().equals(Rule.UNBATCHED_BACKFILL.id())).toList();
        if (!backfills.isEmpty()) {
            item(sb, false, "Backfill", describe(backfills));
            return;
        }
        List<String> batched = m.statements().stream().filter(StatementLint::backfill)
                .map(s -> "line " + s.line() + " " + code(s.kind())).toList();
        item(sb, true, "Backfill", batched.isEmpty() ? "none" : "batched or bounded: " + String.join(", ", batched));
    }

    private static List<Finding> of(List<Finding> findings, Rule.Category category, boolean withIgnored) {
        return findings.stream().filter(f -> Rule.byId(f.rule()).category() == category && (withIgnored || f.ignored() == null)).toList();
    }

    private static String describe(List<Finding> findings) {
        List<String> parts = new ArrayList<>();
        for (Finding f : findings) {
            parts.add("line " + f.line() + " " + code(f.rule()) + " (" + f.severity().label() + "): " + escape(f.message())
                    + ". Fix: " + escape(f.fix()));
        }
        return String.join("; ", parts);
    }

    private static String lines(List<Finding> findings) {
        return findings.stream().map(f -> code(f.rule()) + " at line " + f.line()).collect(Collectors.joining(", "));
    }

    private static void item(StringBuilder sb, boolean done, String title, String text) {
        sb.append("- [").append(done ? 'x' : ' ').append("] **").append(title).append(":** ").append(text).append('\n');
    }

    /** A code span that survives backticks and pipes in the text. */
    static String code(String s) {
        String t = s.replace("|", "\\|");
        return t.contains("`") ? "`` " + t + " ``" : "`" + t + "`";
    }

    static String escape(String s) {
        return s.replace("|", "\\|").replace("\n", " ");
    }
}

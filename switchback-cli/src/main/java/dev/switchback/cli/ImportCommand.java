package dev.switchback.cli;

import dev.switchback.migration.ImportPlan;
import dev.switchback.migration.MigrationListener;
import dev.switchback.migration.Problem;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "import", description = "Take over another tool's history: each of its rows is matched to a migration file "
        + "and recorded as applied, nothing is run and the other tool's table is left as it is. Any row or file that does "
        + "not match is reported and nothing is written (exit 4).")
final class ImportCommand implements Callable<Integer> {
    @Mixin
    HelpOption help;

    @ParentCommand
    SwitchbackCommand root;

    @Option(names = "--from", required = true, paramLabel = "TOOL",
            description = "flyway, liquibase, golang-migrate, goose, dbmate, rails, ef-core or table:NAME[:COLUMN]")
    String from;

    @Option(names = "--table", paramLabel = "NAME", description = "the other tool's table, when not its default name")
    String table;

    @Option(names = "--dry-run", description = "show the plan, write nothing")
    boolean dryRun;

    @Override
    public Integer call() {
        Output out = root.output();
        ImportPlan plan = root.migrator(Map.of(), MigrationListener.NONE).importHistory(from, table, dryRun);
        if (out.json()) {
            out.json(json(plan));
        } else {
            out.line("%s history in %s: %d migration(s) applied, %d pending, %d problem(s)", plan.tool(), plan.table(),
                    plan.imported().size(), plan.pending().size(), plan.problems().size());
            for (ImportPlan.Entry e : plan.imported()) {
                out.line("  applied  %s  %s%s", e.version(), e.script(), e.appliedAt() == null ? "" : "  at " + e.appliedAt()
                        + (e.appliedBy() == null ? "" : " by " + e.appliedBy()));
            }
            plan.pending().forEach(p -> out.line("  pending  %s", p));
            for (Problem p : plan.problems()) {
                out.line("%s: %s", p.type(), p.message());
            }
            if (!plan.clean()) {
                out.line("Nothing was written: fix the problems above and import again.");
            } else if (plan.written()) {
                out.line("Imported: the Switchback history records %d migration(s); migrate applies the pending ones.",
                        plan.imported().size());
            } else {
                out.line("Dry run: nothing was written.");
            }
        }
        return plan.clean() ? 0 : VerifyCommand.VERIFICATION_FAILED;
    }

    /** The plan with times as ISO-8601 text, as status prints them. */
    private static Map<String, Object> json(ImportPlan plan) {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("tool", plan.tool());
        m.put("table", plan.table());
        m.put("imported", plan.imported().stream().map(e -> {
            Map<String, Object> row = new java.util.LinkedHashMap<>();
            row.put("version", e.version());
            row.put("script", e.script());
            row.put("appliedAt", e.appliedAt() == null ? null : e.appliedAt().toString());
            row.put("appliedBy", e.appliedBy());
            row.put("baseline", e.baseline());
            return row;
        }).toList());
        m.put("pending", plan.pending());
        m.put("problems", plan.problems());
        m.put("written", plan.written());
        return m;
    }
}

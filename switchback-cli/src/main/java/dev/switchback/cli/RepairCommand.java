package dev.switchback.cli;

import dev.switchback.migration.MigrationListener;
import dev.switchback.migration.RepairResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "repair", description = "Remove failed rows and re-record the checksums of applied migrations after a deliberate edit (logged).")
final class RepairCommand implements Callable<Integer> {
    @Mixin
    HelpOption help;

    @ParentCommand
    SwitchbackCommand root;

    @Override
    public Integer call() {
        Output out = root.output();
        RepairResult r = root.migrator(Map.of(), MigrationListener.NONE).repair();
        if (out.json()) {
            out.json(r);
        } else if (r.removedFailed().isEmpty() && r.realigned().isEmpty()) {
            out.line("Nothing to repair.");
        } else {
            out.line("Removed failed rows: %s", r.removedFailed().isEmpty() ? "none" : String.join(", ", r.removedFailed()));
            out.line("Checksums re-recorded: %s", r.realigned().isEmpty() ? "none" : String.join(", ", r.realigned()));
        }
        return 0;
    }
}

package dev.switchback.cli;

import dev.switchback.migration.MigrationListener;
import dev.switchback.migration.StatusReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "status", aliases = "info", description = "Applied and pending migrations, problems and the lock holder. Changes nothing.")
final class StatusCommand implements Callable<Integer> {
    @Mixin
    HelpOption help;

    @ParentCommand
    SwitchbackCommand root;

    @Override
    public Integer call() {
        Output out = root.output();
        StatusReport r = root.migrator(Map.of(), MigrationListener.NONE).status();
        if (out.json()) {
            out.json(r);
        } else {
            StatusPrinter.print(out, r, root.urlSource());
        }
        return 0;
    }
}

package dev.switchback.cli;

import dev.switchback.migration.MigrationListener;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "baseline", description = "Mark an existing database as being at VERSION without running anything; migrations up to it are skipped.")
final class BaselineCommand implements Callable<Integer> {
    @Mixin
    HelpOption help;

    @ParentCommand
    SwitchbackCommand root;

    @Option(names = "--version", required = true, paramLabel = "VERSION", description = "the version the database is at")
    String version;

    @Option(names = "--description", description = "recorded in the history (default: << baseline >>)")
    String description;

    @Override
    public Integer call() {
        Output out = root.output();
        root.migrator(Map.of(), MigrationListener.NONE).baseline(version, description);
        if (out.json()) {
            out.json(Map.of("baseline", version));
        } else {
            out.line("Baselined at version %s: migrations up to %s will not run here.", version, version);
        }
        return 0;
    }
}

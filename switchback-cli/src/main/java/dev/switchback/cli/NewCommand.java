package dev.switchback.cli;

import dev.switchback.migration.MigrationListener;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "new", description = "Create the next version's up and down files, in the naming style the project already uses.")
final class NewCommand implements Callable<Integer> {
    @Mixin
    HelpOption help;

    @ParentCommand
    SwitchbackCommand root;

    @Parameters(arity = "1..*", paramLabel = "DESCRIPTION", description = "what the migration does, e.g. add orders table")
    List<String> words;

    @Option(names = "--dir", paramLabel = "DIR", description = "where to write (default: the first directory location)")
    Path dir;

    @Override
    public Integer call() {
        Output out = root.output();
        List<Path> files = root.migrator(Map.of(), MigrationListener.NONE).newMigration(String.join(" ", words), dir);
        if (out.json()) {
            out.json(Map.of("up", files.get(0).toString(), "down", files.get(1).toString()));
        } else {
            files.forEach(f -> out.line("Created %s", f));
        }
        return 0;
    }
}

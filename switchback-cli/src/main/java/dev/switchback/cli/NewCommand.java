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

    @Option(names = "--from-drift", description = "write the live schema's drift into the files as intended: up makes the "
            + "migrations' schema into the database's, down puts it back (see 'switchback drift')")
    boolean fromDrift;

    @Option(names = "--no-record", description = "with --from-drift: only write the files; by default the new migration is "
            + "also recorded as applied on this database (it already has the change) and the schema snapshot retaken")
    boolean noRecord;

    @Override
    public Integer call() {
        Output out = root.output();
        dev.switchback.migration.Migrator migrator = root.migrator(Map.of(), MigrationListener.NONE);
        List<Path> files = fromDrift ? migrator.newMigrationFromDrift(String.join(" ", words), dir, !noRecord)
                : migrator.newMigration(String.join(" ", words), dir);
        if (out.json()) {
            out.json(Map.of("up", files.get(0).toString(), "down", files.get(1).toString(), "recorded", fromDrift && !noRecord));
        } else {
            files.forEach(f -> out.line("Created %s", f));
            if (fromDrift && !noRecord) {
                out.line("Recorded as applied on this database (it already has the change) and the schema snapshot retaken:");
                out.line("drift is clean here, other environments apply it with migrate. A '-- not done' line is for you to");
                out.line("finish; 'switchback repair' then re-records the edited file's checksum.");
            } else if (fromDrift) {
                out.line("This database already has the change: it is for the other environments (review the files; a '-- not done'");
                out.line("line is for you to finish). Here, migrate would apply it a second time.");
            }
        }
        return 0;
    }
}

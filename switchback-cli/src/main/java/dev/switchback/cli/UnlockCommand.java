package dev.switchback.cli;

import dev.switchback.migration.MigrationListener;
import dev.switchback.migration.UnlockResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "unlock", description = "Show the lock holder; --force clears a stale SQLite lease or the holder record.")
final class UnlockCommand implements Callable<Integer> {
    @Mixin
    HelpOption help;

    @ParentCommand
    SwitchbackCommand root;

    @Option(names = "--force", description = "clear the lease (SQLite) or the holder record (PostgreSQL, MariaDB)")
    boolean force;

    @Override
    public Integer call() {
        Output out = root.output();
        UnlockResult r = root.migrator(Map.of(), MigrationListener.NONE).unlock(force);
        if (out.json()) {
            out.json(r);
        } else {
            out.line(r.message());
        }
        return 0;
    }
}

package dev.switchback.cli;

import dev.switchback.migration.AppliedStep;
import dev.switchback.migration.ErrorCode;
import dev.switchback.migration.MigrationListener;
import dev.switchback.migration.RollbackRequest;
import dev.switchback.migration.RollbackResult;
import dev.switchback.migration.SwitchbackException;
import dev.switchback.migration.Version;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "rollback", description = "Undo applied migrations newest first with their down SQL (from the file, else from the history). "
                + "Exit 5 before undoing anything if one has no down.")
final class RollbackCommand implements Callable<Integer> {
    @Mixin
    HelpOption help;

    @ParentCommand
    SwitchbackCommand root;

    @ArgGroup(multiplicity = "1")
    Which which;

    static final class Which {
        @Option(names = "--to", paramLabel = "VERSION", required = true, description = "undo everything above VERSION (0: everything)")
        String to;

        @Option(names = "--steps", paramLabel = "N", required = true, description = "undo the newest N")
        Integer steps;

        @Option(names = "--version", paramLabel = "VERSION", required = true, description = "undo VERSION, only when it is the newest applied")
        String version;
    }

    @Option(names = "--dry-run", description = "print the down SQL that would run; change nothing")
    boolean dryRun;

    @Override
    public Integer call() {
        Output out = root.output();
        MigrationListener listener = out.json() ? MigrationListener.NONE : new MigrationListener() {
            @Override
            public void undone(AppliedStep s) {
                out.line("Undone %s %s (%d ms)", s.version(), s.description(), s.executionMs());
            }
        };
        RollbackResult r = root.migrator(Map.of(), listener).rollback(request().dryRun(dryRun));
        if (out.json()) {
            out.json(r);
            return 0;
        }
        if (r.plan().isEmpty()) {
            out.line("Nothing to undo: current version is %s.", MigrateCommand.orNone(r.from()));
        } else if (r.dryRun()) {
            out.line("Dry run: would undo %d migration(s), from %s to %s; nothing was changed.", r.plan().size(),
                    MigrateCommand.orNone(r.from()), MigrateCommand.orNone(r.to()));
            for (RollbackResult.Undo u : r.plan()) {
                out.line("");
                out.line("-- undo %s %s (down SQL from the %s: %s)", u.version(), u.description(), u.source(), u.script());
                out.line(u.sql().stripTrailing());
            }
        } else {
            out.line("Rolled back from %s to %s: %d undone.", MigrateCommand.orNone(r.from()), MigrateCommand.orNone(r.to()), r.undone().size());
        }
        return 0;
    }

    private RollbackRequest request() {
        try {
            if (which.to != null) {
                return RollbackRequest.to(which.to);
            }
            if (which.steps != null) {
                return RollbackRequest.steps(which.steps);
            }
            Version.parse(which.version);
            return RollbackRequest.version(which.version);
        } catch (SwitchbackException e) {
            throw new SwitchbackException(ErrorCode.CONFIG, e.getMessage());
        }
    }
}

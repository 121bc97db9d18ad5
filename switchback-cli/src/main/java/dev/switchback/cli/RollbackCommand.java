package dev.switchback.cli;

import dev.switchback.migration.AppliedStep;
import dev.switchback.migration.BeforeRollback;
import dev.switchback.migration.ErrorCode;
import dev.switchback.migration.MigrationListener;
import dev.switchback.migration.Migrator;
import dev.switchback.migration.RollbackRequest;
import dev.switchback.migration.RollbackResult;
import dev.switchback.migration.SwitchbackException;
import dev.switchback.migration.Version;
import dev.switchback.migration.dialect.Dialects;
import dev.switchback.migration.lint.DataLoss;
import dev.switchback.migration.sql.SqlFlavor;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;

@Command(name = "rollback", description = "Undo applied migrations newest first with their down SQL (from the file, else from the history), "
                + "after a pre-rollback-<version> backup. Down SQL that drops a table or column or deletes rows is confirmed first "
                + "(--yes without a terminal). Exit 5 before undoing anything if one has no down.")
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

    @Option(names = "--no-backup", description = "do not take the pre-rollback-<version> backup (backup.beforeMigrate)")
    boolean noBackup;

    @Option(names = "--yes", description = "do not ask before down SQL that drops a table or column or deletes rows")
    boolean yes;

    @Override
    public Integer call() {
        Output out = root.output();
        MigrationListener listener = out.json() ? MigrationListener.NONE : new MigrationListener() {
            @Override
            public void undone(AppliedStep s) {
                out.line("Undone %s %s (%d ms)", s.version(), s.description(), s.executionMs());
            }
        };
        Migrator migrator = root.migrator(Map.of(), listener);
        RollbackResult r = dryRun ? migrator.rollback(request().dryRun(true)) : undo(migrator, out);
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

    /**
     * Plans first (no lock), asks when the down SQL destroys data, then undoes under the lock after a backup; the plan
     * under the lock must be the one asked about.
     */
    private RollbackResult undo(Migrator migrator, Output out) {
        RollbackResult plan = migrator.rollback(request().dryRun(true));
        boolean backup = !noBackup && root.backupConfig().beforeMigrate();
        String label = "pre-rollback-" + (plan.to() == null ? "0" : plan.to());
        List<String> losses = dataLoss(migrator, plan);
        if (!losses.isEmpty() && !yes) {
            String span = "from " + plan.from() + " to " + MigrateCommand.orNone(plan.to());
            Confirmation.ask("Rolling back " + span + " destroys data:\n  - " + String.join("\n  - ", losses)
                            + (backup ? "\nA backup (" + label + ") is taken first." : "\nNo backup is taken (--no-backup or backup.beforeMigrate: false)."),
                    () -> "Roll back " + span, "Rollback cancelled; nothing was undone");
        }
        BeforeRollback backupFirst = backup ? root.backups(migrator).beforeRollback() : BeforeRollback.NONE;
        return migrator.withBeforeRollback((from, to) -> {
            if (!Objects.equals(from, plan.from()) || !Objects.equals(to, plan.to())) {
                throw new SwitchbackException(ErrorCode.VERIFICATION, "Rollback refused; nothing was undone: the history changed "
                        + "while planning (from " + plan.from() + " to " + MigrateCommand.orNone(plan.to()) + " became from " + from
                        + " to " + MigrateCommand.orNone(to) + "). Run rollback again.");
            }
            String id = backupFirst.run(from, to);
            if (id != null && !out.json()) {
                out.line("Backup %s (%s) taken before rolling back.", id, label);
            }
            return id;
        }).rollback(request());
    }

    private static List<String> dataLoss(Migrator migrator, RollbackResult plan) {
        SqlFlavor flavor = Dialects.forUrl(migrator.config().url()).flavor();
        List<String> out = new ArrayList<>();
        for (RollbackResult.Undo u : plan.plan()) {
            out.addAll(DataLoss.of(u.script(), u.sql(), flavor));
        }
        return out;
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

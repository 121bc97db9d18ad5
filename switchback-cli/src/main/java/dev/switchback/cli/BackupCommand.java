package dev.switchback.cli;

import dev.switchback.backup.BackupVerification;
import dev.switchback.backup.Backups;
import dev.switchback.backup.Manifest;
import dev.switchback.backup.RestoreOptions;
import dev.switchback.backup.RestoreResult;
import dev.switchback.migration.ErrorCode;
import dev.switchback.migration.MigrationListener;
import dev.switchback.migration.SwitchbackException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "backup", description = "Backups of the database: create, list, verify, restore, prune.",
        subcommands = {BackupCommand.Create.class, BackupCommand.ListBackups.class, BackupCommand.Verify.class,
                BackupCommand.Restore.class, BackupCommand.Prune.class})
final class BackupCommand implements Runnable {
    @Mixin
    HelpOption help;

    @ParentCommand
    SwitchbackCommand root;

    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    Backups backups() {
        return root.backups(root.migrator(Map.of(), MigrationListener.NONE));
    }

    static String size(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        if (bytes < 1024 * 1024) {
            return String.format("%.1f KiB", bytes / 1024.0);
        }
        if (bytes < 1024L * 1024 * 1024) {
            return String.format("%.1f MiB", bytes / 1024.0 / 1024);
        }
        return String.format("%.2f GiB", bytes / 1024.0 / 1024 / 1024);
    }

    @Command(name = "create", description = "Back up the database (and backup.files); prints the new backup's id.")
    static final class Create implements Callable<Integer> {
        @Mixin
        HelpOption help;
        @ParentCommand
        BackupCommand parent;

        @Option(names = "--label", paramLabel = "LABEL", description = "1-64 of A-Z a-z 0-9 . _ -")
        String label;

        @Override
        public Integer call() {
            Output out = parent.root.output();
            Manifest m = parent.backups().create(label, null);
            if (out.json()) {
                out.json(m);
            } else {
                out.line(m.id());
            }
            return 0;
        }
    }

    @Command(name = "list", description = "Backups, newest first.")
    static final class ListBackups implements Callable<Integer> {
        @Mixin
        HelpOption help;
        @ParentCommand
        BackupCommand parent;

        @Override
        public Integer call() {
            Output out = parent.root.output();
            List<Manifest> all = parent.backups().list();
            if (out.json()) {
                out.json(Map.of("backups", all));
                return 0;
            }
            if (all.isEmpty()) {
                out.line("No backups.");
                return 0;
            }
            String fmt = "%-30s  %-24s  %-24s  %-13s  %-8s  %-8s  %10s  %s";
            out.line(fmt, "Id", "Label", "Created", "Dialect", "Schema", "Release", "Size", "Encrypted");
            for (Manifest m : all) {
                out.line(fmt, m.id(), m.label() == null ? "" : m.label(), m.created(), m.dialect(),
                        m.schemaVersion() == null ? "none" : m.schemaVersion(), m.release() == null ? "" : m.release(),
                        size(m.sizeBytes()), m.encrypted() ? "yes" : "no");
            }
            return 0;
        }
    }

    @Command(name = "verify", description = "Recompute every checksum, authenticate encrypted files, check the dump is readable. Exit 4 when anything is wrong.")
    static final class Verify implements Callable<Integer> {
        @Mixin
        HelpOption help;
        @ParentCommand
        BackupCommand parent;

        @Parameters(paramLabel = "ID|LABEL")
        String ref;

        @Override
        public Integer call() {
            Output out = parent.root.output();
            BackupVerification v = parent.backups().verify(ref);
            if (out.json()) {
                out.json(v);
            } else if (v.ok()) {
                out.line("Backup %s is sound: %s", v.id(), String.join(", ", v.checked()));
            } else {
                out.line("Backup %s failed verification:", v.id());
                v.problems().forEach(p -> out.line("  - %s", p));
            }
            return v.ok() ? 0 : ErrorCode.VERIFICATION.exitCode();
        }
    }

    @Command(name = "restore", description = "Verify, back up the current state, then restore all-or-nothing; objects created after the backup are gone too.")
    static final class Restore implements Callable<Integer> {
        @Mixin
        HelpOption help;
        @ParentCommand
        BackupCommand parent;

        @Parameters(paramLabel = "ID|LABEL", arity = "0..1", description = "the backup (or use --before)")
        String ref;

        @Option(names = "--before", paramLabel = "TIME", description = "the newest backup created before TIME (ISO-8601, e.g. 2026-11-26T05:00:00Z or 2026-11-26T05:00 local)")
        String before;

        @Option(names = "--into", paramLabel = "DB", description = "restore into a new database (SQLite: a file beside the database) and leave the original untouched")
        String into;

        @Option(names = "--migrate-to", paramLabel = "VERSION", description = "afterwards, migrate up to VERSION")
        String migrateTo;

        @Option(names = "--no-safety-backup", description = "do not back up the current state first")
        boolean noSafetyBackup;

        @Option(names = "--no-files", description = "do not restore the backup's file set")
        boolean noFiles;

        @Option(names = "--from-other-database", description = "restore a backup taken from another database (refused by default)")
        boolean fromOtherDatabase;

        @Option(names = "--yes", description = "do not ask for confirmation")
        boolean yes;

        @Override
        public Integer call() {
            Output out = parent.root.output();
            if ((ref == null) == (before == null)) {
                throw new SwitchbackException(ErrorCode.CONFIG, "Name the backup (ID or LABEL) or give --before TIME, not both");
            }
            Instant beforeTime = before == null ? null : parseTime(before);
            Backups backups = parent.backups();
            if (!yes && into == null) {
                confirm(backups, beforeTime);
            }
            RestoreResult r = backups.restore(new RestoreOptions(ref, beforeTime, into, migrateTo, noSafetyBackup, noFiles, fromOtherDatabase));
            if (out.json()) {
                out.json(r);
                return 0;
            }
            out.line("Restored backup %s%s into %s (%s).", r.id(), r.label() == null ? "" : " (" + r.label() + ")",
                    r.into() == null ? r.database() : r.into(), r.atomicity());
            out.line("Schema version: %s -> %s", MigrateCommand.orNone(r.versionBefore()), MigrateCommand.orNone(r.versionAfter()));
            out.line("Tables restored (%d): %s", r.tables().size(), String.join(", ", r.tables()));
            if (!r.filesRestored().isEmpty()) {
                out.line("Files restored (%d): %s", r.filesRestored().size(), String.join(", ", r.filesRestored()));
            }
            if (r.safetyBackupId() != null) {
                out.line("Safety backup of the state before: %s (restore it to undo this restore).", r.safetyBackupId());
            }
            if (r.migratedTo() != null) {
                out.line("Migrated to %s.", r.migratedTo());
            }
            return 0;
        }

        private void confirm(Backups backups, Instant beforeTime) {
            Confirmation.ask("Restore replaces the database", () -> {
                Manifest m = beforeTime == null ? backups.find(ref) : null;
                return "Replace the database with " + (m == null ? "the newest backup before " + beforeTime
                        : m.id() + (m.label() == null ? "" : " (" + m.label() + ")"));
            }, "Restore cancelled; nothing was changed");
        }

        static Instant parseTime(String text) {
            try {
                return Instant.parse(text);
            } catch (DateTimeParseException e) {
                try {
                    return LocalDateTime.parse(text.replace(' ', 'T')).atZone(ZoneId.systemDefault()).toInstant();
                } catch (DateTimeParseException e2) {
                    throw new SwitchbackException(ErrorCode.CONFIG, "--before '" + text + "' is not a time: use e.g. 2026-11-26T05:00:00Z");
                }
            }
        }
    }

    @Command(name = "prune", description = "Delete the oldest backups beyond --keep (default backup.keep); never labels matching backup.keepLabels.")
    static final class Prune implements Callable<Integer> {
        @Mixin
        HelpOption help;
        @ParentCommand
        BackupCommand parent;

        @Option(names = "--keep", paramLabel = "N", description = "how many to keep")
        Integer keep;

        @Override
        public Integer call() {
            Output out = parent.root.output();
            int n = keep != null ? keep : parent.root.backupConfig().keep();
            List<Manifest> deleted = parent.backups().prune(n);
            if (out.json()) {
                out.json(Map.of("deleted", deleted.stream().map(Manifest::id).toList(), "keep", n));
            } else if (deleted.isEmpty()) {
                out.line("Nothing to prune (keep %d).", n);
            } else {
                deleted.forEach(m -> out.line("Deleted %s%s", m.id(), m.label() == null ? "" : " (" + m.label() + ")"));
            }
            return 0;
        }
    }
}

package dev.switchback.cli;

import dev.switchback.migration.AppliedStep;
import dev.switchback.migration.BeforeMigrate;
import dev.switchback.migration.MigrateReport;
import dev.switchback.migration.MigrateResult;
import dev.switchback.migration.MigrationListener;
import dev.switchback.migration.Migrator;
import dev.switchback.migration.PlannedMigration;
import dev.switchback.migration.Problem;
import dev.switchback.migration.Setting;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "migrate", description = "Apply pending migrations in order, each in its own transaction unless no-transaction, under the lock.")
final class MigrateCommand implements Callable<Integer> {
    @Mixin
    HelpOption help;

    @ParentCommand
    SwitchbackCommand root;

    @Option(names = "--target", paramLabel = "VERSION", description = "apply up to this version only")
    String target;

    @Option(names = "--dry-run", description = "print the plan and the SQL; change nothing (no tables created, no lock)")
    boolean dryRun;

    @Option(names = "--no-backup", description = "do not take the pre-<version> backup (backup.beforeMigrate)")
    boolean noBackup;

    @Option(names = "--allow-unsafe", description = "apply even when lint finds errors in the pending migrations (migrations.allowUnsafe)")
    boolean allowUnsafe;

    @Option(names = "--group", description = "apply every pending migration in one transaction, all or none (PostgreSQL, SQLite; for fresh databases such as CI's)")
    boolean group;

    @Override
    public Integer call() {
        Output out = root.output();
        Map<Setting, String> flags = new EnumMap<>(Setting.class);
        if (target != null) {
            flags.put(Setting.TARGET, target);
        }
        if (dryRun) {
            flags.put(Setting.DRY_RUN, "true");
        }
        if (allowUnsafe) {
            flags.put(Setting.ALLOW_UNSAFE, "true");
        }
        MigrationListener listener = out.json() ? MigrationListener.NONE : new MigrationListener() {
            @Override
            public void applied(AppliedStep s) {
                // concatenated, not formatted: a line per migration, 2,000 for a fresh database
                out.line("Applied " + s.version() + " " + s.description() + " (" + s.executionMs() + " ms" + (s.resumed() ? ", resumed" : "") + ")");
            }
        };
        Migrator migrator = root.migrator(flags, listener).withLint(LintCommand.lintConfig(root, null));
        if (group) {
            migrator = migrator.inOneTransaction();
        }
        if (!noBackup && !migrator.config().dryRun() && root.backupConfig().beforeMigrate()) {
            BeforeMigrate backup = root.backups(migrator).beforeMigrate();
            migrator = migrator.withBeforeMigrate((from, to) -> {
                String id = backup.run(from, to);
                if (!out.json()) {
                    out.line("Backup %s (pre-%s) taken before migrating.", id, to);
                }
                return id;
            });
        }
        // the status printed after the text is read on migrate's connection, not by a second walk and connection
        MigrateReport report = out.json() ? new MigrateReport(migrator.migrate(), null) : migrator.migrateWithStatus();
        MigrateResult r = report.result();
        for (Problem p : r.warnings()) {
            System.err.println("warning: " + p.type() + ": " + p.message());
        }
        if (out.json()) {
            out.json(r);
            return 0;
        }
        if (r.skipped()) {
            out.line("Migrations skipped (" + Setting.SKIP_SWITCHES + "); nothing was checked.");
            return 0;
        }
        if (r.cachedAt() != null) {
            // no status: it would connect, and the point was not to
            out.line("Database is up to date at version %s, as the check at %s found it (migrations.cacheTtl; files "
                    + "unchanged, not connected).", orNone(r.to()), r.cachedAt());
            return 0;
        }
        if (r.dryRun()) {
            out.line("Dry run: %d migration(s) would be applied to %s (from %s to %s); nothing was changed.",
                    r.plan().size(), r.database(), orNone(r.from()), orNone(r.to()));
            for (PlannedMigration p : r.plan()) {
                out.line("");
                out.line("-- %s %s (%s)%s%s", p.version(), p.description(), p.script(),
                        p.noTransaction() ? ", no-transaction" : "", p.resumeAt() > 1 ? ", resumes at statement " + p.resumeAt() : "");
                out.line(p.sql().stripTrailing());
            }
            return 0;
        }
        if (r.applied().isEmpty()) {
            out.line("Database is up to date at version %s.", orNone(r.to()));
        } else {
            out.line("Migrated from %s to %s: %d applied in %d ms.", orNone(r.from()), r.to(), r.applied().size(), r.totalMs());
        }
        out.line("");
        StatusPrinter.print(out, report.status(), root.urlSource());
        return 0;
    }

    static String orNone(String v) {
        return v == null ? "none" : v;
    }
}

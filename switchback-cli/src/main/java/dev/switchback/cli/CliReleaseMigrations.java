package dev.switchback.cli;

import dev.switchback.backup.Backups;
import dev.switchback.deploy.ReleaseMigrations;
import dev.switchback.migration.MigrationConfig;
import dev.switchback.migration.MigrationListener;
import dev.switchback.migration.Migrator;

import java.util.Map;

/** The configured migrations and backups, with ${RELEASE} in migrations.locations filled in per release. */
final class CliReleaseMigrations implements ReleaseMigrations {
    private final SwitchbackCommand root;

    CliReleaseMigrations(SwitchbackCommand root) {
        this.root = root;
    }

    @Override
    public Migrator migrator(String release) {
        // the lint: section judges a release's migrations in the daemon as it does for `migrate`
        Migrator base = root.migrator(Map.of(), MigrationListener.NONE).withLint(LintCommand.lintConfig(root, null));
        MigrationConfig c = base.config();
        return base.withConfig(c.withLocations(c.locations().stream().map(l -> l.replace("${RELEASE}", release)).toList()));
    }

    @Override
    public Backups backups(Migrator migrator) {
        return root.backups(migrator);
    }

    @Override
    public java.nio.file.Path expectedEnvFile(String release) {
        return ReleaseEnvFile.locate(root, release);
    }

    @Override
    public boolean backupBeforeMigrate() {
        return root.backupConfig().beforeMigrate();
    }
}

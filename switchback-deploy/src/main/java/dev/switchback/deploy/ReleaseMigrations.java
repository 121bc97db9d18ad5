package dev.switchback.deploy;

import dev.switchback.backup.Backups;
import dev.switchback.migration.Migrator;

/** Each release brings its own migrations: the migrator for one (migrations.locations with ${RELEASE} expanded). */
public interface ReleaseMigrations {
    Migrator migrator(String release);

    Backups backups(Migrator migrator);

    boolean backupBeforeMigrate();

    /** The file listing the keys the release expects (its .env.example), or null when it has none. */
    default java.nio.file.Path expectedEnvFile(String release) {
        return null;
    }
}

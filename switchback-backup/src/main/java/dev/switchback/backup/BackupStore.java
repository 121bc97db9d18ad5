package dev.switchback.backup;

import dev.switchback.migration.ErrorCode;
import dev.switchback.migration.MigrationConfig;
import dev.switchback.migration.Migrator;
import dev.switchback.migration.SwitchbackException;
import dev.switchback.migration.dialect.Dialects;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.time.Instant;
import java.util.List;

/**
 * What every backup verb works on: the migrator's database and its engine, the settings, the catalog, and this
 * database's identity. Lookups by label or time only see this database's backups.
 */
final class BackupStore {
    final Migrator migrator;
    final MigrationConfig config;
    final BackupConfig backup;
    final BackupCatalog catalog;
    private DatabaseIdentity identity;

    BackupStore(Migrator migrator, BackupConfig backup) {
        this.migrator = migrator;
        this.config = migrator.config();
        this.backup = backup;
        this.catalog = new BackupCatalog(backup.directory());
    }

    DumpEngine engine() {
        if (config.url() == null) {
            throw new SwitchbackException(ErrorCode.CONFIG, "Backups need database.url (the command-line tools connect by URL)");
        }
        return switch (Dialects.forUrl(config.url()).name()) {
            case "postgresql" -> new PostgresEngine(config, backup);
            case "mariadb/mysql" -> new MariaDbEngine(config, backup);
            default -> new SqliteEngine(config);
        };
    }

    /** The engine to restore {@code m} with; a backup of another dialect cannot be. */
    DumpEngine engineFor(Manifest m) {
        DumpEngine e = engine();
        if (!e.dialect().equals(m.dialect())) {
            throw new SwitchbackException(ErrorCode.CONFIG, "Backup " + m.id() + " is a " + m.dialect() + " backup; database.url is "
                    + e.dialect());
        }
        return e;
    }

    DatabaseIdentity identity() {
        if (identity == null) {
            if (config.url() == null) {
                throw new SwitchbackException(ErrorCode.CONFIG, "Backups need database.url (the command-line tools connect by URL)");
            }
            identity = DatabaseIdentity.of(Dialects.forUrl(config.url()).name(), config.url(), config.user(), config.password());
        }
        return identity;
    }

    boolean ours(Manifest m) {
        return DatabaseIdentity.of(m).equals(identity());
    }

    /** This database's complete backups, newest first. */
    List<Manifest> own() {
        return catalog.list().stream().filter(this::ours).toList();
    }

    /** By id (any database's: a restore then checks whose it is), or the newest of this database's with that label. */
    Manifest find(String ref) {
        catalog.checkNotDamaged(ref);
        List<Manifest> all = catalog.list();
        for (Manifest m : all) {
            if (m.id().equals(ref)) {
                return m;
            }
        }
        for (Manifest m : all) {
            if (ref.equals(m.label()) && ours(m)) {
                return m;
            }
        }
        boolean elsewhere = all.stream().anyMatch(m -> ref.equals(m.label()));
        throw new SwitchbackException(ErrorCode.CONFIG, "No backup of " + identity() + " with id or label '" + ref + "' in "
                + catalog.directory() + (elsewhere ? " (another database's backup has that label: name it by its id)" : "")
                + " (`switchback backup list` shows them)");
    }

    /** The newest of this database's backups created before {@code time}. */
    Manifest before(Instant time) {
        for (Manifest m : own()) {
            if (Instant.parse(m.created()).isBefore(time)) {
                return m;
            }
        }
        throw new SwitchbackException(ErrorCode.CONFIG, "No backup of " + identity() + " in " + catalog.directory()
                + " was created before " + time);
    }

    /** The plaintext of one file of a backup (decrypting and authenticating as it is read). */
    InputStream open(Manifest m, Manifest.FileEntry f) throws IOException {
        InputStream in = new BufferedInputStream(Files.newInputStream(catalog.folder(m).resolve(f.name())), 1 << 16);
        if (!m.encrypted()) {
            return in;
        }
        if (backup.encryptionKey() == null) {
            in.close();
            throw new SwitchbackException(ErrorCode.CONFIG, "Backup " + m.id() + " is encrypted: set backup.encryptionKey or SWITCHBACK_BACKUP_KEY");
        }
        return BackupCipher.decrypting(m, f.name(), in, backup.encryptionKey());
    }
}

package dev.switchback.backup;

import dev.switchback.migration.SettingKey;


/** Every backup setting: path in switchback.yml, default, description, environment aliases. */
public enum BackupSetting implements SettingKey {
    DIRECTORY(Spec.of("backup.directory", ".switchback/backups", "where backups are kept, one folder each")),
    KEEP(Spec.of("backup.keep", "10", "backups kept by prune and after each automatic backup")),
    BEFORE_MIGRATE(Spec.of("backup.beforeMigrate", "true", "migrate takes a backup labelled pre-<version> before applying anything")),
    FILES(Spec.of("backup.files", null, "files or globs archived with each backup (assets, config bundles)")),
    KEEP_LABELS(Spec.of("backup.keepLabels", null, "label globs prune never deletes, e.g. release-*")),
    ENCRYPTION_KEY(Spec.of("backup.encryptionKey", null, "encrypt backups at rest with AES-256-GCM (a passphrase, or 32 bytes in base64)",
            "SWITCHBACK_BACKUP_KEY").masked()),
    PG_DUMP(Spec.of("backup.pgDump", "pg_dump", "pg_dump executable")),
    PG_RESTORE(Spec.of("backup.pgRestore", "pg_restore", "pg_restore executable")),
    PSQL(Spec.of("backup.psql", "psql", "psql executable")),
    MYSQL_DUMP(Spec.of("backup.mysqlDump", null, "mariadb-dump or mysqldump executable (default: whichever is on PATH)")),
    MYSQL(Spec.of("backup.mysql", null, "mariadb or mysql client executable (default: whichever is on PATH)"));

    private final Spec spec;

    BackupSetting(Spec spec) {
        this.spec = spec;
    }

    @Override
    public Spec spec() {
        return spec;
    }

    public static BackupSetting forPath(String path) {
        for (BackupSetting s : values()) {
            if (s.path().equalsIgnoreCase(path)) {
                return s;
            }
        }
        return null;
    }
}

package dev.switchback.backup;

import dev.switchback.migration.SettingKey;

import java.util.List;

/** Every backup setting: path in switchback.yml, default, description, environment aliases. */
public enum BackupSetting implements SettingKey {
    DIRECTORY("backup.directory", ".switchback/backups", "where backups are kept, one folder each"),
    KEEP("backup.keep", "10", "backups kept by prune and after each automatic backup"),
    BEFORE_MIGRATE("backup.beforeMigrate", "true", "migrate takes a backup labelled pre-<version> before applying anything"),
    FILES("backup.files", null, "files or globs archived with each backup (assets, config bundles)"),
    KEEP_LABELS("backup.keepLabels", null, "label globs prune never deletes, e.g. release-*"),
    ENCRYPTION_KEY("backup.encryptionKey", null, "encrypt backups at rest with AES-256-GCM (a passphrase, or 32 bytes in base64)",
            "SWITCHBACK_BACKUP_KEY"),
    PG_DUMP("backup.pgDump", "pg_dump", "pg_dump executable"),
    PG_RESTORE("backup.pgRestore", "pg_restore", "pg_restore executable"),
    PSQL("backup.psql", "psql", "psql executable"),
    MYSQL_DUMP("backup.mysqlDump", null, "mariadb-dump or mysqldump executable (default: whichever is on PATH)"),
    MYSQL("backup.mysql", null, "mariadb or mysql client executable (default: whichever is on PATH)");

    private final String path;
    private final String defaultValue;
    private final String description;
    private final List<String> aliases;

    BackupSetting(String path, String defaultValue, String description, String... aliases) {
        this.path = path;
        this.defaultValue = defaultValue;
        this.description = description;
        this.aliases = List.of(aliases);
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public String defaultValue() {
        return defaultValue;
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public List<String> aliases() {
        return aliases;
    }

    @Override
    public boolean isSecret() {
        return this == ENCRYPTION_KEY;
    }

    public static BackupSetting forPath(String path) {
        for (BackupSetting s : values()) {
            if (s.path.equalsIgnoreCase(path)) {
                return s;
            }
        }
        return null;
    }
}

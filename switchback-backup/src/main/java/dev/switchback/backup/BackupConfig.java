package dev.switchback.backup;

import dev.switchback.migration.ErrorCode;
import dev.switchback.migration.SwitchbackException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The backup settings, validated once.
 *
 * @param baseDir file sets resolve against it
 */
public record BackupConfig(Path directory, int keep, boolean beforeMigrate, List<String> files, List<String> keepLabels,
                           String encryptionKey, Path baseDir, String pgDump, String pgRestore, String psql,
                           String mysqlDump, String mysql) {

    public BackupConfig {
        files = List.copyOf(files);
        keepLabels = List.copyOf(keepLabels);
    }

    public static BackupConfig from(Map<BackupSetting, String> given, Path baseDir) {
        Map<BackupSetting, String> values = new java.util.EnumMap<>(BackupSetting.class);
        for (BackupSetting s : BackupSetting.values()) {
            if (s.defaultValue() != null) {
                values.put(s, s.defaultValue());
            }
        }
        values.putAll(given);
        List<String> problems = new ArrayList<>();
        Path directory = baseDir.resolve(values.getOrDefault(BackupSetting.DIRECTORY, ".switchback/backups")).normalize();
        int keep = 10;
        String keepText = values.get(BackupSetting.KEEP);
        try {
            keep = Integer.parseInt(String.valueOf(keepText).strip());
            if (keep < 1) {
                problems.add("backup.keep cannot be less than 1, was " + keep);
            }
        } catch (NumberFormatException e) {
            problems.add("backup.keep '" + keepText + "' is not a whole number");
        }
        String before = String.valueOf(values.getOrDefault(BackupSetting.BEFORE_MIGRATE, "true")).strip().toLowerCase(Locale.ROOT);
        if (!before.matches("true|false|yes|no|on|off|1|0")) {
            problems.add("backup.beforeMigrate '" + before + "' is not true or false");
        }
        String key = values.get(BackupSetting.ENCRYPTION_KEY);
        if (key != null && key.isBlank()) {
            key = null;
        }
        if (key != null && key.length() < 12) {
            problems.add("backup.encryptionKey is too short: use at least 12 characters, or 32 random bytes in base64");
        }
        if (!problems.isEmpty()) {
            throw new SwitchbackException(ErrorCode.CONFIG, "Invalid backup configuration:\n  - " + String.join("\n  - ", problems));
        }
        return new BackupConfig(directory, keep, before.matches("true|yes|on|1"), list(values.get(BackupSetting.FILES)),
                list(values.get(BackupSetting.KEEP_LABELS)), key, baseDir,
                values.getOrDefault(BackupSetting.PG_DUMP, "pg_dump"), values.getOrDefault(BackupSetting.PG_RESTORE, "pg_restore"),
                values.getOrDefault(BackupSetting.PSQL, "psql"),
                orFirstOnPath(values.get(BackupSetting.MYSQL_DUMP), "mariadb-dump", "mysqldump"),
                orFirstOnPath(values.get(BackupSetting.MYSQL), "mariadb", "mysql"));
    }

    public BackupConfig withEncryptionKey(String key) {
        return new BackupConfig(directory, keep, beforeMigrate, files, keepLabels, key, baseDir, pgDump, pgRestore, psql,
                mysqlDump, mysql);
    }

    private static List<String> list(String value) {
        if (value == null || value.isBlank()) {
            return List.of();
        }
        return Arrays.stream(value.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    private static String orFirstOnPath(String configured, String... candidates) {
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        for (String c : candidates) {
            for (String dir : path.split(java.io.File.pathSeparator)) {
                if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, c))) {
                    return c;
                }
            }
        }
        return candidates[0];
    }
}

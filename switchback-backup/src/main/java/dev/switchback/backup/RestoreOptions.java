package dev.switchback.backup;

import java.time.Instant;

/**
 * How to restore.
 *
 * @param ref            a backup id or label; null with {@code before}
 * @param before         pick the newest backup created before this time instead of {@code ref}
 * @param into           restore into this new database (SQLite: file beside the database) and leave the original untouched
 * @param migrateTo      afterwards, migrate up to this version
 * @param noSafetyBackup skip backing up the current state first
 * @param noFiles        do not restore the backup's file set
 * @param fromOtherDatabase restore a backup taken from another database (by default refused)
 */
public record RestoreOptions(String ref, Instant before, String into, String migrateTo, boolean noSafetyBackup,
                             boolean noFiles, boolean fromOtherDatabase) {

    public RestoreOptions(String ref, Instant before, String into, String migrateTo, boolean noSafetyBackup, boolean noFiles) {
        this(ref, before, into, migrateTo, noSafetyBackup, noFiles, false);
    }
}

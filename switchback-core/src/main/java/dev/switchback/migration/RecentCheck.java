package dev.switchback.migration;

import dev.switchback.migration.discovery.AtomicFile;
import dev.switchback.migration.discovery.Checksum;
import dev.switchback.migration.discovery.UpToDateSnapshot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * {@code migrations.cacheTtl}: the time of the last migrate that found the database up to date, so that within the TTL
 * a migrate whose files and settings are still those of the up-to-date snapshot answers "up to date" without
 * connecting (no JDBC driver is even loaded). The trade-off is the user's: a change another process made to the
 * database within the TTL is not seen. Only migrate asks it; status, verify and rollback always connect.
 *
 * <p>Kept beside the snapshot as a few lines of text, replaced atomically: the time of the check, the version it found,
 * and a digest of the database (its URL with any password masked, and the user: no password is stored, nor enters the
 * digest), the settings and the snapshot's own digest; a record for anything else is not this one's. One record per
 * file: checking another database replaces it.
 */
final class RecentCheck {
    private static final Logger log = LoggerFactory.getLogger(RecentCheck.class);
    private static final String HEADER = "switchback up-to-date check v1";

    private final Path file;
    private final String database;
    private final String settings;
    private final Duration ttl;

    private RecentCheck(Path file, String database, String settings, Duration ttl) {
        this.file = file;
        this.database = database;
        this.settings = settings;
        this.ttl = ttl;
    }

    /**
     * The record for this configuration, or null when there is none to keep: no TTL, a dry run or a skip, an
     * application's DataSource (its database cannot be told without connecting), or no snapshot settings.
     */
    static RecentCheck of(MigrationConfig config, String settings, Path snapshotFile) {
        if (config.cacheTtl() == null || config.dryRun() || config.skip() || config.url() == null
                || config.dataSource() != null || settings == null || snapshotFile == null) {
            return null;
        }
        return new RecentCheck(recordFile(snapshotFile),
                config.maskedUrl() + "\n" + config.user() + fileIdentity(Database.sqliteFile(config)), settings, config.cacheTtl());
    }

    /**
     * For a SQLite database, the file's identity (device and inode, read by stat, the file is not opened): a file
     * deleted or replaced since the check is another database, whose emptiness the cache must not hide.
     */
    private static String fileIdentity(Path sqlite) {
        if (sqlite == null) {
            return "";
        }
        try {
            Object key = Files.readAttributes(sqlite, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
            return "\nfile " + (key == null ? sqlite.toRealPath() + " (no file key)" : key);
        } catch (IOException e) {
            return "\nno file";
        }
    }

    /**
     * Runs a verb that changes the history (rollback, repair, baseline, import, a restore) between two drops of the
     * record kept for {@code config}'s files: the one before keeps a check made before the verb from answering while
     * it runs, the one after (also when it fails: a failed restore may have changed the database) drops a record
     * another migrate wrote while it waited for the lock. Another host's such change is the trade-off the TTL accepts.
     */
    static <T> T forgetAround(MigrationConfig config, java.util.function.Supplier<T> verb) {
        forget(config);
        try {
            return verb.get();
        } finally {
            forget(config);
        }
    }

    /** Drops the record kept for {@code config}'s files, whatever the TTL now. */
    static void forget(MigrationConfig config) {
        Path snapshotFile = UpToDateInputs.snapshotFile(config);
        if (snapshotFile != null) {
            try {
                Files.deleteIfExists(recordFile(snapshotFile));
            } catch (IOException e) {
                log.warn("Could not remove {}: {}; a migrate within migrations.cacheTtl may still answer from it", recordFile(snapshotFile), e.toString());
            }
        }
    }

    private static Path recordFile(Path snapshotFile) {
        return snapshotFile.resolveSibling(snapshotFile.getFileName() + ".checked");
    }

    /**
     * "Up to date" as the recorded check found it, when it was made less than the TTL before {@code nowMillis}, for
     * this database and these settings, with this very snapshot, whose files stat says are unchanged; else null.
     */
    MigrateResult answer(UpToDateSnapshot snapshot, long nowMillis, MigrationConfig config) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException | RuntimeException e) {
            log.debug("Ignoring the up-to-date check record {}: {}", file, e.toString());
            return null;
        }
        if (lines.size() != 4 || !lines.get(0).equals(HEADER) || !lines.get(3).equals("key " + key(snapshot.digest()))
                || !lines.get(2).equals("version " + snapshot.current())) {
            return null;
        }
        long checkedAt;
        try {
            checkedAt = Long.parseLong(lines.get(1).substring("checked-at ".length()));
        } catch (RuntimeException e) {
            return null;
        }
        long age = nowMillis - checkedAt;
        // a clock set back since makes the age negative: not trusted either
        if (age < 0 || age >= ttl.toMillis() || !snapshot.sameFiles(settings)) {
            return null;
        }
        String at = Instant.ofEpochMilli(checkedAt).toString();
        log.info("Database is up to date at version {} (cached: the check at {}, {} ms ago, found it so and the files are "
                + "unchanged; not connected, migrations.cacheTtl {} ms)", snapshot.current(), at, age, ttl.toMillis());
        return new MigrateResult(config.maskedUrl(), snapshot.current(), snapshot.current(), List.of(), List.of(), false,
                false, true, 0, List.of(), null, at);
    }

    /** Records that a check at {@code nowMillis} found the database up to date with the snapshot of this digest. */
    void remember(String snapshotDigest, String version, long nowMillis) {
        if (snapshotDigest == null || version == null) {
            return;
        }
        String text = String.join("\n", HEADER, "checked-at " + nowMillis, "version " + version, "key " + key(snapshotDigest)) + "\n";
        try {
            AtomicFile.replace(file, tmp -> Files.writeString(tmp, text, StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            log.debug("Could not write the up-to-date check record {}: {}", file, e.toString());
        }
    }

    private String key(String snapshotDigest) {
        return Checksum.sha256(String.join("\u0000", database, settings, snapshotDigest));
    }
}

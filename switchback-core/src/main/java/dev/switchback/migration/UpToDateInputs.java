package dev.switchback.migration;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.CodeSource;

/**
 * What the up-to-date snapshot ({@link dev.switchback.migration.discovery.UpToDateSnapshot}) is keyed by besides the
 * files and the history: where it is kept, and the settings and code the plan depends on.
 */
final class UpToDateInputs {
    private UpToDateInputs() {
    }

    /** Where the last nothing-to-do check is remembered: beside the checksum cache, and off with it. */
    static Path snapshotFile(MigrationConfig config) {
        Path cache = config.checksumCache();
        return cache == null ? null : cache.resolveSibling(cache.getFileName() + ".up-to-date");
    }

    /**
     * Every setting the plan depends on besides the files and the history rows, and the code that made the plan: the
     * jar (or classes folder) Switchback runs from, by size and mtime, so an upgrade of Switchback checks in full.
     */
    static String settingsKey(MigrationConfig config) {
        String code = codeStamp();
        if (code == null) {
            return null; // no snapshot: an upgrade could not be told from the code that wrote it
        }
        return String.join("\n", "code " + code, "table " + config.table(),
                "outOfOrder " + config.outOfOrder(), "target " + config.target(),
                "base " + config.baseDir().toAbsolutePath().normalize(), "locations " + String.join("\n", config.locations()));
    }

    /** Where this class was loaded from, with its size and mtime; null when that cannot be told (a nested jar, say). */
    private static String codeStamp() {
        try {
            CodeSource source = UpToDateInputs.class.getProtectionDomain().getCodeSource();
            Path where = Path.of(source.getLocation().toURI());
            BasicFileAttributes a = Files.readAttributes(where, BasicFileAttributes.class);
            return where + " " + a.size() + " " + a.lastModifiedTime().toMillis();
        } catch (Exception e) {
            return null;
        }
    }
}

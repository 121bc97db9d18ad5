package dev.switchback.migration;

import dev.switchback.migration.discovery.ClasspathRoots;

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
     * jar (or classes folder) Switchback runs from, by size and mtime, so an upgrade of Switchback checks in full; and
     * the roots each classpath: location has now, so a jar or folder added to the class path does too.
     */
    static String settingsKey(MigrationConfig config, ClassLoader classLoader) {
        String code = codeStamp();
        if (code == null) {
            return null; // no snapshot: an upgrade could not be told from the code that wrote it
        }
        String roots;
        try {
            roots = ClasspathRoots.describe(classLoader, config.locations());
        } catch (RuntimeException e) {
            return null; // the full check reports it
        }
        return String.join("\n", "code " + code, "table " + config.table(),
                "outOfOrder " + config.outOfOrder(), "target " + config.target(),
                "base " + config.baseDir().toAbsolutePath().normalize(), "locations " + String.join("\n", config.locations()),
                "roots " + roots);
    }

    /**
     * Where this class was loaded from (the file on disk that holds it, the outer jar of a Spring Boot fat jar), with
     * its size and mtime; null when that cannot be told.
     */
    private static String codeStamp() {
        try {
            CodeSource source = UpToDateInputs.class.getProtectionDomain().getCodeSource();
            Path where = ClasspathRoots.holder(source.getLocation().toExternalForm());
            BasicFileAttributes a = Files.readAttributes(where, BasicFileAttributes.class);
            return where + " " + a.size() + " " + a.lastModifiedTime().toMillis();
        } catch (Exception e) {
            return null;
        }
    }
}

package dev.switchback.backup;

import dev.switchback.migration.ErrorCode;
import dev.switchback.migration.SwitchbackException;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/** The files archived with a backup (seed 002's assets and config bundle), as a zip of paths relative to the base folder. */
final class FileSet {
    private FileSet() {
    }

    /** The files the patterns name: plain paths (a folder means everything under it) and globs like {@code config/*.yml}. */
    static List<Path> resolve(Path baseDir, List<String> patterns) throws IOException {
        TreeSet<Path> files = new TreeSet<>();
        for (String pattern : patterns) {
            if (pattern.contains("*") || pattern.contains("?") || pattern.contains("[") || pattern.contains("{")) {
                PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + pattern);
                try (Stream<Path> all = Files.walk(baseDir)) {
                    all.filter(Files::isRegularFile).filter(p -> matcher.matches(baseDir.relativize(p)))
                            .forEach(files::add);
                }
                continue;
            }
            Path p = baseDir.resolve(pattern).normalize();
            if (Files.isDirectory(p)) {
                try (Stream<Path> all = Files.walk(p)) {
                    all.filter(Files::isRegularFile).forEach(files::add);
                }
            } else if (Files.isRegularFile(p)) {
                files.add(p);
            } else {
                throw new SwitchbackException(ErrorCode.CONFIG, "backup.files: '" + pattern + "' (" + p + ") does not exist");
            }
        }
        for (Path f : files) {
            if (!f.normalize().startsWith(baseDir.normalize())) {
                throw new SwitchbackException(ErrorCode.CONFIG, "backup.files: " + f + " is outside " + baseDir);
            }
        }
        return new ArrayList<>(files);
    }

    static void write(Path baseDir, List<Path> files, OutputStream out) throws IOException {
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            for (Path f : files) {
                zip.putNextEntry(new ZipEntry(baseDir.relativize(f).toString().replace('\\', '/')));
                Files.copy(f, zip);
                zip.closeEntry();
            }
        }
    }

    /**
     * Makes the file set exactly the archived one: extracts into a staging folder first (a corrupt archive changes
     * nothing), moves each file into place, then removes the files the backup's own patterns match now that the archive
     * does not hold (added since the backup; the safety backup taken before a restore holds them). Nothing under the
     * backup folder is ever removed. Returns the paths restored.
     */
    static List<String> restore(Path baseDir, List<String> patterns, Path backupDirectory, InputStream archive) throws IOException {
        Path staging = Files.createTempDirectory(baseDir, ".switchback-files-");
        List<String> names = new ArrayList<>();
        try {
            try (ZipInputStream zip = new ZipInputStream(archive)) {
                ZipEntry e;
                while ((e = zip.getNextEntry()) != null) {
                    Path dest = staging.resolve(e.getName()).normalize();
                    if (!dest.startsWith(staging) || e.isDirectory()) {
                        continue;
                    }
                    Files.createDirectories(dest.getParent());
                    Files.copy(zip, dest, StandardCopyOption.REPLACE_EXISTING);
                    names.add(e.getName());
                }
            }
            List<Path> now = existing(baseDir, patterns);
            for (String name : names) {
                Path dest = baseDir.resolve(name).normalize();
                Files.createDirectories(dest.getParent());
                Files.move(staging.resolve(name), dest, StandardCopyOption.REPLACE_EXISTING);
            }
            TreeSet<Path> archived = new TreeSet<>();
            names.forEach(n -> archived.add(baseDir.resolve(n).normalize()));
            Path keep = backupDirectory.toAbsolutePath().normalize();
            for (Path p : now) {
                if (!archived.contains(p.normalize()) && !p.toAbsolutePath().normalize().startsWith(keep)
                        && !p.toAbsolutePath().normalize().startsWith(staging.toAbsolutePath().normalize())) {
                    Files.deleteIfExists(p);
                }
            }
            return names;
        } finally {
            try (Stream<Path> left = Files.walk(staging)) {
                left.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** The files the patterns match now; a plain path that no longer exists matches nothing. */
    private static List<Path> existing(Path baseDir, List<String> patterns) throws IOException {
        List<String> present = new ArrayList<>();
        for (String p : patterns) {
            boolean glob = p.contains("*") || p.contains("?") || p.contains("[") || p.contains("{");
            if (glob || Files.exists(baseDir.resolve(p).normalize())) {
                present.add(p);
            }
        }
        return resolve(baseDir, present);
    }
}

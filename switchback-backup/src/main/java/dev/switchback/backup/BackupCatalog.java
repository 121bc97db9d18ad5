package dev.switchback.backup;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.switchback.migration.ErrorCode;
import dev.switchback.migration.SwitchbackException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The backups folder: one folder per backup holding its data files and manifest.json. */
final class BackupCatalog {
    static final Pattern LABEL = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS'Z'").withZone(ZoneOffset.UTC);
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private final Path directory;

    BackupCatalog(Path directory) {
        this.directory = directory;
    }

    Path directory() {
        return directory;
    }

    static void checkLabel(String label) {
        if (label != null && !LABEL.matcher(label).matches() || label != null && (label.equals(".") || label.equals(".."))) {
            throw new SwitchbackException(ErrorCode.CONFIG, "Invalid backup label '" + label
                    + "': use 1-64 characters of A-Z a-z 0-9 . _ - (nothing was written)");
        }
    }

    /** A new, private folder for a backup, named by its time-sortable id. */
    Path newFolder(Instant now) throws IOException {
        createPrivate(directory);
        String id = ID_TIME.format(now) + "-" + UUID.randomUUID().toString().substring(0, 4);
        Path folder = directory.resolve(id);
        Files.createDirectory(folder, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        return folder;
    }

    private static void createPrivate(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        }
    }

    static Path newPrivateFile(Path file) throws IOException {
        return Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    }

    void writeManifest(Path folder, Manifest manifest) throws IOException {
        Path tmp = folder.resolve(".manifest.json.tmp");
        Files.deleteIfExists(tmp);
        newPrivateFile(tmp);
        Files.write(tmp, JSON.writeValueAsBytes(manifest));
        Files.move(tmp, folder.resolve("manifest.json"), StandardCopyOption.ATOMIC_MOVE);
    }

    /** Every complete backup (a folder without a manifest was interrupted and is ignored), newest first. */
    List<Manifest> list() {
        List<Manifest> out = new ArrayList<>();
        if (!Files.isDirectory(directory)) {
            return out;
        }
        try (Stream<Path> folders = Files.list(directory)) {
            for (Path f : folders.filter(Files::isDirectory).toList()) {
                Path m = f.resolve("manifest.json");
                if (Files.isRegularFile(m)) {
                    try {
                        out.add(JSON.readValue(m.toFile(), Manifest.class));
                    } catch (IOException e) {
                        throw new SwitchbackException(ErrorCode.VERIFICATION, m + " is unreadable: " + e.getMessage(), e);
                    }
                }
            }
        } catch (IOException e) {
            throw new SwitchbackException(ErrorCode.FAILED, "Cannot list " + directory + ": " + e.getMessage(), e);
        }
        out.sort(Comparator.comparing(Manifest::id).reversed());
        return out;
    }

    Path folder(Manifest m) {
        return directory.resolve(m.id());
    }

    void delete(Manifest m) throws IOException {
        deleteTree(folder(m));
    }

    static void deleteTree(Path folder) throws IOException {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> all = Files.walk(folder)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}

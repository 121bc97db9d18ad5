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

    /**
     * Every complete backup whose manifest reads and makes sense, newest first. A folder without a manifest was
     * interrupted and is ignored; one whose manifest is damaged is left out here (so retention never deletes it) and
     * refused by {@link #checkNotDamaged(String)} when named.
     */
    List<Manifest> list() {
        List<Manifest> out = new ArrayList<>();
        scan(out, new java.util.TreeMap<>());
        return out;
    }

    /** Throws VERIFICATION when {@code ref} names a backup folder whose manifest is damaged. */
    void checkNotDamaged(String ref) {
        java.util.Map<String, String> damaged = new java.util.TreeMap<>();
        scan(new ArrayList<>(), damaged);
        String problem = damaged.get(ref);
        if (problem != null) {
            throw new SwitchbackException(ErrorCode.VERIFICATION, "Backup " + ref + " cannot be used: its manifest.json " + problem
                    + ". Nothing was touched.");
        }
    }

    private void scan(List<Manifest> good, java.util.Map<String, String> damaged) {
        if (!Files.isDirectory(directory)) {
            return;
        }
        try (Stream<Path> folders = Files.list(directory)) {
            for (Path f : folders.filter(Files::isDirectory).toList()) {
                Path m = f.resolve("manifest.json");
                if (!Files.isRegularFile(m)) {
                    continue;
                }
                String id = f.getFileName().toString();
                try {
                    Manifest manifest = JSON.readValue(m.toFile(), Manifest.class);
                    String problem = problem(manifest, id);
                    if (problem == null) {
                        good.add(manifest);
                    } else {
                        damaged.put(id, problem);
                    }
                } catch (IOException e) {
                    damaged.put(id, "is unreadable (" + e.getMessage().lines().findFirst().orElse("") + ")");
                }
            }
        } catch (IOException e) {
            throw new SwitchbackException(ErrorCode.FAILED, "Cannot list " + directory + ": " + e.getMessage(), e);
        }
        good.sort(Comparator.comparing(Manifest::id).reversed());
    }

    /** What makes a manifest unusable, or null: every field a restore relies on, checked before anything does. */
    static String problem(Manifest m, String folder) {
        if (m.format() != Manifest.FORMAT) {
            return "has format " + m.format() + ", this version reads " + Manifest.FORMAT;
        }
        if (!folder.equals(m.id())) {
            return "names the backup '" + m.id() + "', not its folder's name";
        }
        if (m.label() != null && !LABEL.matcher(m.label()).matches()) {
            return "has a label that is not one";
        }
        try {
            Instant.parse(String.valueOf(m.created()));
        } catch (java.time.format.DateTimeParseException e) {
            return "has no valid creation time";
        }
        if (m.dialect() == null || !m.dialect().matches("postgresql|mariadb/mysql|sqlite")) {
            return "names no known dialect";
        }
        if (m.files() == null || m.files().isEmpty()) {
            return "lists no files";
        }
        int databases = 0;
        for (Manifest.FileEntry f : m.files()) {
            if (f == null || f.name() == null || !f.name().matches("[A-Za-z0-9._-]+") || f.name().startsWith(".")
                    || f.role() == null || !f.role().matches("database|files") || f.bytes() < 0
                    || f.sha256() == null || !f.sha256().matches("[0-9a-f]{64}")) {
                return "has a damaged file entry";
            }
            if (f.role().equals("database")) {
                databases++;
            }
            if (m.encrypted() != f.name().endsWith(".enc")) {
                return "says encrypted=" + m.encrypted() + " but lists " + f.name();
            }
        }
        if (databases != 1) {
            return "lists " + databases + " database files";
        }
        if (m.cipher() != null && !m.cipher().equals(BackupCipher.CURRENT)) {
            return "names an unknown cipher";
        }
        return null;
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

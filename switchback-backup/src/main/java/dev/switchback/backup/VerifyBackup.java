package dev.switchback.backup;

import dev.switchback.migration.SwitchbackException;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Checksums of every file; with the key, decryption and authentication; and that the tool can read the dump. */
final class VerifyBackup {
    private final BackupStore store;

    VerifyBackup(BackupStore store) {
        this.store = store;
    }

    /**
     * @param deep false for a restore: the database file is only checked for presence and size here (and, when
     *             encrypted, that the key opens it), because its checksum is computed while the restore streams it
     *             and confirmed before the restore's point of no return ({@link StreamedDump})
     */
    BackupVerification run(Manifest m, boolean deep) {
        Path folder = store.catalog.folder(m);
        List<String> checked = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (Manifest.FileEntry f : m.files()) {
            Path file = folder.resolve(f.name());
            String where = m.id() + "/" + f.name();
            checked.add(where);
            try {
                if (!Files.isRegularFile(file)) {
                    problems.add(where + " is missing");
                    continue;
                }
                long size = Files.size(file);
                if (size != f.bytes()) {
                    problems.add(where + " is " + size + " bytes, the manifest says " + f.bytes() + " (truncated or grown)");
                    continue;
                }
                if (!deep && f.role().equals("database")) {
                    continue;
                }
                String sum = Sha256Sink.of(file, Progress.of("verify " + f.name()));
                if (!sum.equals(f.sha256())) {
                    problems.add(where + " has SHA-256 " + sum.substring(0, 12) + "..., the manifest says " + f.sha256().substring(0, 12)
                            + "... (the file changed since the backup)");
                }
            } catch (IOException e) {
                problems.add(where + " cannot be read: " + e.getMessage());
            }
        }
        if (problems.isEmpty()) {
            try {
                if (m.encrypted() && store.backup.encryptionKey() == null) {
                    problems.add(m.id() + " is encrypted: set backup.encryptionKey or SWITCHBACK_BACKUP_KEY to authenticate it");
                } else {
                    // decrypting every byte authenticates every segment
                    for (Manifest.FileEntry f : m.files()) {
                        boolean database = f.role().equals("database");
                        if (m.encrypted() && database && !deep) {
                            try (InputStream in = store.open(m, f)) {
                                in.read(); // the header: a wrong key fails here, before anything is done
                            }
                        } else if (m.encrypted() || !database) {
                            try (InputStream in = store.open(m, f)) {
                                in.transferTo(OutputStream.nullOutputStream());
                            }
                        }
                    }
                    if (deep) {
                        Manifest.FileEntry db = m.databaseFile();
                        store.engineFor(m).checkReadable(() -> store.open(m, db), m.id() + "/" + db.name());
                    }
                }
            } catch (SwitchbackException e) {
                problems.add(e.getMessage());
            } catch (IOException e) {
                problems.add(m.id() + " cannot be read: " + e.getMessage());
            }
        }
        return new BackupVerification(m.id(), m.label(), problems.isEmpty(), checked, problems);
    }
}

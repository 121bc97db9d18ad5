package dev.switchback.backup;

import dev.switchback.migration.ErrorCode;
import dev.switchback.migration.SwitchbackException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Takes a backup; on any failure the half-written folder is removed and nothing is listed. */
final class CreateBackup {
    private static final Logger log = LoggerFactory.getLogger(CreateBackup.class);
    private final BackupStore store;

    CreateBackup(BackupStore store) {
        this.store = store;
    }

    Manifest run(String label, String release) {
        BackupCatalog.checkLabel(label);
        DumpEngine engine = store.engine();
        String[] tool = engine.toolAndVersion();
        String schemaVersion = store.migrator.currentVersion();
        BackupConfig backup = store.backup;
        List<Path> files;
        Path folder;
        try {
            files = FileSet.resolve(backup.baseDir(), backup.files());
            folder = store.catalog.newFolder(Instant.now());
        } catch (IOException e) {
            throw new SwitchbackException(ErrorCode.FAILED, "Cannot prepare the backup: " + e.getMessage(), e);
        }
        String id = folder.getFileName().toString();
        Instant created = Instant.now();
        try {
            List<Manifest.FileEntry> entries = new ArrayList<>();
            Progress progress = Progress.of("backup " + engine.fileName());
            entries.add(write(folder, id, engine.fileName(), "database", progress, engine::dump));
            progress.done();
            if (!backup.files().isEmpty()) {
                entries.add(write(folder, id, "files.zip", "files", Progress.NONE, out -> FileSet.write(backup.baseDir(), files, out)));
            }
            long size = entries.stream().mapToLong(Manifest.FileEntry::bytes).sum();
            boolean encrypted = backup.encryptionKey() != null;
            Manifest m = new Manifest(Manifest.FORMAT, id, label, created.toString(), engine.dialect(),
                    store.config.maskedUrl(), schemaVersion, release, tool[0], tool[1], encrypted, size, entries,
                    store.identity().value(), encrypted ? BackupCipher.CURRENT : null, backup.files());
            store.catalog.writeManifest(folder, m);
            log.info("Backup {} ({}) written: {} bytes", m.id(), label == null ? "no label" : label, size);
            return m;
        } catch (IOException | RuntimeException e) {
            try {
                BackupCatalog.deleteTree(folder);
            } catch (IOException ignored) {
                // reported below; an incomplete folder has no manifest and is never listed
            }
            if (e instanceof SwitchbackException se) {
                throw se;
            }
            throw new SwitchbackException(ErrorCode.FAILED, "Backup failed: " + e.getMessage() + " (nothing was kept)", e);
        }
    }

    private interface Writer {
        void write(OutputStream out) throws IOException;
    }

    private Manifest.FileEntry write(Path folder, String id, String name, String role, Progress progress, Writer writer) throws IOException {
        String key = store.backup.encryptionKey();
        String stored = key != null ? name + ".enc" : name;
        Path file = BackupCatalog.newPrivateFile(folder.resolve(stored));
        Sha256Sink sink;
        try (OutputStream raw = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            sink = new Sha256Sink(raw, progress);
            OutputStream plain = key != null ? BackupCipher.encrypting(id, stored, sink, key) : sink;
            try (OutputStream out = plain) {
                writer.write(new FilterOutputStream(out) {
                    @Override
                    public void write(byte[] b, int off, int len) throws IOException {
                        out.write(b, off, len);
                    }

                    @Override
                    public void close() {
                        // the engine closing its sink must not end the file early
                    }
                });
            }
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        return new Manifest.FileEntry(stored, role, sink.bytes(), sink.hex());
    }
}

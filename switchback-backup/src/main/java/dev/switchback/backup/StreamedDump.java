package dev.switchback.backup;

import dev.switchback.migration.ErrorCode;
import dev.switchback.migration.SwitchbackException;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The database file of a backup as a restore reads it: the SHA-256 of the stored bytes (ciphertext, when
 * encrypted) is computed as they stream, and {@link #confirm()} compares it with the manifest. Each
 * {@link #open()} starts over; confirm checks the stream of the last one, first reading through whatever the
 * tool left unread, so the whole file is always covered.
 */
final class StreamedDump implements DumpEngine.DumpSource, AutoCloseable {
    private final BackupStore store;
    private final Manifest manifest;
    private final Manifest.FileEntry file;
    private HashingInput last;

    StreamedDump(BackupStore store, Manifest manifest, Manifest.FileEntry file) {
        this.store = store;
        this.manifest = manifest;
        this.file = file;
    }

    @Override
    public synchronized InputStream open() throws IOException {
        if (last != null) {
            last.discard();
        }
        last = new HashingInput(Files.newInputStream(store.catalog.folder(manifest).resolve(file.name())));
        InputStream in = new BufferedInputStream(last, 1 << 16);
        return manifest.encrypted() ? BackupCipher.decrypting(manifest, file.name(), in, store.backup.encryptionKey()) : in;
    }

    private String where() {
        return manifest.id() + "/" + file.name();
    }

    @Override
    public Path file() {
        return manifest.encrypted() ? null : store.catalog.folder(manifest).resolve(file.name());
    }

    /** Closes the file of a stream that was never confirmed (e.g. MariaDB's second load). */
    @Override
    public synchronized void close() throws IOException {
        if (last != null) {
            last.discard();
            last = null;
        }
    }

    @Override
    public synchronized void confirm() throws IOException {
        if (last == null) {
            throw new IllegalStateException("confirm() before open()");
        }
        HashingInput h = last;
        last = null;
        String sum = h.finish();
        if (h.bytes() != file.bytes()) {
            throw new SwitchbackException(ErrorCode.VERIFICATION, where() + " was " + h.bytes() + " bytes as it was read, the manifest says "
                    + file.bytes() + " (it changed during the restore)");
        }
        if (!sum.equals(file.sha256())) {
            throw new SwitchbackException(ErrorCode.VERIFICATION, where() + " has SHA-256 " + sum.substring(0, 12)
                    + "..., the manifest says " + file.sha256().substring(0, 12) + "... (the file changed since the backup)");
        }
    }
}

package dev.switchback.backup;

import dev.switchback.migration.BeforeMigrate;
import dev.switchback.migration.ErrorCode;
import dev.switchback.migration.MigrationConfig;
import dev.switchback.migration.Migrator;
import dev.switchback.migration.SwitchbackException;
import dev.switchback.migration.Version;
import dev.switchback.migration.dialect.Dialects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Backups of the migrator's database: create, list, verify, restore, prune. */
public final class Backups {
    private static final Logger log = LoggerFactory.getLogger(Backups.class);
    private final Migrator migrator;
    private final MigrationConfig config;
    private final BackupConfig backup;
    private final BackupCatalog catalog;

    public Backups(Migrator migrator, BackupConfig backup) {
        this.migrator = migrator;
        this.config = migrator.config();
        this.backup = backup;
        this.catalog = new BackupCatalog(backup.directory());
    }

    private DumpEngine engine() {
        if (config.url() == null) {
            throw new SwitchbackException(ErrorCode.CONFIG, "Backups need database.url (the command-line tools connect by URL)");
        }
        return switch (Dialects.forUrl(config.url()).name()) {
            case "postgresql" -> new PostgresEngine(config, backup);
            case "mariadb/mysql" -> new MariaDbEngine(config, backup);
            default -> new SqliteEngine(config);
        };
    }

    /** Takes a backup; on any failure the half-written folder is removed and nothing is listed. */
    public Manifest create(String label, String release) {
        BackupCatalog.checkLabel(label);
        DumpEngine engine = engine();
        String[] tool = engine.toolAndVersion();
        String schemaVersion = migrator.currentVersion();
        List<Path> files;
        Path folder;
        try {
            files = FileSet.resolve(backup.baseDir(), backup.files());
            folder = catalog.newFolder(Instant.now());
        } catch (IOException e) {
            throw new SwitchbackException(ErrorCode.FAILED, "Cannot prepare the backup: " + e.getMessage(), e);
        }
        Instant created = Instant.now();
        try {
            List<Manifest.FileEntry> entries = new ArrayList<>();
            Progress progress = Progress.of("backup " + engine.fileName());
            entries.add(write(folder, engine.fileName(), "database", progress, engine::dump));
            progress.done();
            if (!files.isEmpty()) {
                entries.add(write(folder, "files.zip", "files", Progress.NONE, out -> FileSet.write(backup.baseDir(), files, out)));
            }
            long size = entries.stream().mapToLong(Manifest.FileEntry::bytes).sum();
            Manifest m = new Manifest(Manifest.FORMAT, folder.getFileName().toString(), label, created.toString(), engine.dialect(),
                    config.maskedUrl(), schemaVersion, release, tool[0], tool[1], backup.encryptionKey() != null, size, entries);
            catalog.writeManifest(folder, m);
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

    private Manifest.FileEntry write(Path folder, String name, String role, Progress progress, Writer writer) throws IOException {
        String stored = backup.encryptionKey() != null ? name + ".enc" : name;
        Path file = BackupCatalog.newPrivateFile(folder.resolve(stored));
        Sha256Sink sink;
        try (OutputStream raw = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            sink = new Sha256Sink(raw, progress);
            OutputStream plain = backup.encryptionKey() != null ? SegmentedCipher.encrypting(sink, backup.encryptionKey()) : sink;
            try (OutputStream out = plain) {
                writer.write(new java.io.FilterOutputStream(out) {
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
        try (var ch = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        return new Manifest.FileEntry(stored, role, sink.bytes(), sink.hex());
    }

    public List<Manifest> list() {
        return catalog.list();
    }

    public Manifest find(String ref) {
        return catalog.find(ref);
    }

    /** Checksums of every file; with the key, decryption and authentication; and that the tool can read the dump. */
    public BackupVerification verify(String ref) {
        return verify(catalog.find(ref));
    }

    BackupVerification verify(Manifest m) {
        return verify(m, true);
    }

    /**
     * @param deep false for a restore: the database file is only checked for presence and size here (and, when
     *             encrypted, that the key opens it), because its checksum is computed while the restore streams it
     *             and confirmed before the restore's point of no return ({@link StreamedDump})
     */
    private BackupVerification verify(Manifest m, boolean deep) {
        Path folder = catalog.folder(m);
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
                if (m.encrypted() && backup.encryptionKey() == null) {
                    problems.add(m.id() + " is encrypted: set backup.encryptionKey or SWITCHBACK_BACKUP_KEY to authenticate it");
                } else {
                    // decrypting every byte authenticates every segment
                    for (Manifest.FileEntry f : m.files()) {
                        boolean database = f.role().equals("database");
                        if (m.encrypted() && database && !deep) {
                            try (InputStream in = open(m, f)) {
                                in.read(); // the header: a wrong key fails here, before anything is done
                            }
                        } else if (m.encrypted() || !database) {
                            try (InputStream in = open(m, f)) {
                                in.transferTo(OutputStream.nullOutputStream());
                            }
                        }
                    }
                    if (deep) {
                        Manifest.FileEntry db = m.databaseFile();
                        engineFor(m).checkReadable(() -> open(m, db), m.id() + "/" + db.name());
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

    private DumpEngine engineFor(Manifest m) {
        DumpEngine e = engine();
        if (!e.dialect().equals(m.dialect())) {
            throw new SwitchbackException(ErrorCode.CONFIG, "Backup " + m.id() + " is a " + m.dialect() + " backup; database.url is "
                    + e.dialect());
        }
        return e;
    }

    /** The plaintext of one file of a backup (decrypting and authenticating as it is read). */
    InputStream open(Manifest m, Manifest.FileEntry f) throws IOException {
        InputStream in = new BufferedInputStream(Files.newInputStream(catalog.folder(m).resolve(f.name())), 1 << 16);
        if (!m.encrypted()) {
            return in;
        }
        if (backup.encryptionKey() == null) {
            in.close();
            throw new SwitchbackException(ErrorCode.CONFIG, "Backup " + m.id() + " is encrypted: set backup.encryptionKey or SWITCHBACK_BACKUP_KEY");
        }
        return SegmentedCipher.decrypting(in, backup.encryptionKey(), m.id() + "/" + f.name());
    }

    /** Verifies, takes a safety backup, restores all-or-nothing, restores the file set, optionally migrates. */
    public RestoreResult restore(RestoreOptions options) {
        Manifest m = options.before() != null ? catalog.before(options.before()) : catalog.find(options.ref());
        DumpEngine engine = engineFor(m);
        BackupVerification v = verify(m, false);
        if (!v.ok()) {
            throw new SwitchbackException(ErrorCode.VERIFICATION, "Restore refused: backup " + m.id() + " failed verification; "
                    + "the database was not touched.\n  - " + String.join("\n  - ", v.problems()));
        }
        String into = options.into();
        String versionBefore = into == null ? migrator.currentVersion() : null;
        Manifest safety = null;
        if (into == null && !options.noSafetyBackup()) {
            safety = create("pre-restore-" + m.id().substring(0, Math.min(m.id().length(), 40)), null);
        }
        try (StreamedDump source = new StreamedDump(m, m.databaseFile())) {
            engine.restore(source, into);
        } catch (SwitchbackException e) {
            if (e.code() == ErrorCode.VERIFICATION) {
                // the engine stopped before its point of no return: the database is as it was, the safety backup is moot
                dropSafetyBackup(safety);
                throw new SwitchbackException(ErrorCode.VERIFICATION, "Restore refused: backup " + m.id() + " failed verification; "
                        + "the database was not touched.\n  - " + e.getMessage().replace("\n", "\n    "), e);
            }
            throw undoFailedRestore(engine, safety, e);
        } catch (IOException e) {
            throw undoFailedRestore(engine, safety, e);
        }
        List<String> restoredFiles = List.of();
        Manifest.FileEntry set = m.fileSet();
        if (set != null && !options.noFiles() && into == null) {
            try (InputStream in = open(m, set)) {
                restoredFiles = FileSet.restore(backup.baseDir(), in);
            } catch (IOException e) {
                throw new SwitchbackException(ErrorCode.FAILED, "The database was restored from " + m.id() + " but its files were not: "
                        + e.getMessage() + ". Run the restore again with --no-safety-backup to retry, or restore "
                        + (safety == null ? "an earlier backup" : safety.id()) + " to undo.", e);
            }
        }
        Migrator target = into == null ? migrator : migrator.withConfig(withDatabase(config, into));
        String versionAfter = target.currentVersion();
        String migratedTo = null;
        if (options.migrateTo() != null) {
            Version.parse(options.migrateTo());
            var r = target.withConfig(target.config().withTarget(Version.parse(options.migrateTo()))).migrate();
            migratedTo = r.to();
        }
        return new RestoreResult(m.id(), m.label(), config.maskedUrl(), into, versionBefore, versionAfter, engine.tables(into),
                safety == null ? null : safety.id(), restoredFiles, engine.atomicity(), migratedTo);
    }

    private void dropSafetyBackup(Manifest safety) {
        if (safety == null) {
            return;
        }
        try {
            catalog.delete(safety);
        } catch (IOException e) {
            log.warn("Could not delete the unused safety backup {}: {}", safety.id(), e.getMessage());
        }
    }

    /**
     * The database file of a backup as a restore reads it: the SHA-256 of the stored bytes (ciphertext, when
     * encrypted) is computed as they stream, and {@link #confirm()} compares it with the manifest. Each
     * {@link #open()} starts over; confirm checks the stream of the last one, first reading through whatever the
     * tool left unread, so the whole file is always covered.
     */
    private final class StreamedDump implements DumpEngine.DumpSource, AutoCloseable {
        private final Manifest manifest;
        private final Manifest.FileEntry file;
        private HashingInput last;

        StreamedDump(Manifest manifest, Manifest.FileEntry file) {
            this.manifest = manifest;
            this.file = file;
        }

        @Override
        public synchronized InputStream open() throws IOException {
            if (last != null) {
                last.discard();
            }
            last = new HashingInput(Files.newInputStream(catalog.folder(manifest).resolve(file.name())));
            InputStream in = new BufferedInputStream(last, 1 << 16);
            return manifest.encrypted() ? SegmentedCipher.decrypting(in, backup.encryptionKey(), where()) : in;
        }

        private String where() {
            return manifest.id() + "/" + file.name();
        }

        @Override
        public Path file() {
            return manifest.encrypted() ? null : catalog.folder(manifest).resolve(file.name());
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

    /** Hashes what is read through it; close() leaves the file open so {@link #finish()} can hash the rest. */
    private static final class HashingInput extends java.io.FilterInputStream {
        private final java.security.MessageDigest digest;
        private long bytes;

        HashingInput(InputStream in) {
            super(in);
            try {
                digest = java.security.MessageDigest.getInstance("SHA-256");
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public synchronized int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                digest.update(b, off, n);
                bytes += n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            return read(new byte[(int) Math.min(n, 1 << 16)]);
        }

        @Override
        public boolean markSupported() {
            return false;
        }

        @Override
        public void close() {
            // kept open for finish()
        }

        long bytes() {
            return bytes;
        }

        /** Reads the rest of the file through the digest, closes it and returns the hex SHA-256 of all of it. */
        synchronized String finish() throws IOException {
            try (InputStream rest = in) {
                byte[] buf = new byte[1 << 16];
                while (read(buf, 0, buf.length) >= 0) {
                    // hashing
                }
            }
            return java.util.HexFormat.of().formatHex(digest.digest());
        }

        void discard() throws IOException {
            in.close();
        }
    }

    private SwitchbackException undoFailedRestore(DumpEngine engine, Manifest safety, Exception cause) {
        String msg = cause.getMessage();
        if (engine instanceof MariaDbEngine maria && safety != null && msg != null && !msg.contains("scratch database")) {
            try {
                maria.reload(() -> open(safety, safety.databaseFile()));
                return new SwitchbackException(ErrorCode.FAILED, msg + "\nThe target was reloaded from the safety backup "
                        + safety.id() + ": it is as it was before the restore.", cause);
            } catch (IOException | RuntimeException e) {
                return new SwitchbackException(ErrorCode.FAILED, msg + "\nReloading the safety backup failed too (" + e.getMessage()
                        + "). Run `switchback backup restore " + safety.id() + " --no-safety-backup --yes` to put it back.", cause);
            }
        }
        if (cause instanceof SwitchbackException se) {
            return se;
        }
        return new SwitchbackException(ErrorCode.FAILED, "Restore failed: " + msg, cause);
    }

    private static MigrationConfig withDatabase(MigrationConfig c, String into) {
        String url = c.url();
        String newUrl;
        if (url.toLowerCase().startsWith("jdbc:sqlite:")) {
            Path file = Path.of(url.substring("jdbc:sqlite:".length()).replaceAll("\\?.*$", ""));
            newUrl = "jdbc:sqlite:" + file.toAbsolutePath().resolveSibling(into);
        } else {
            newUrl = url.replaceFirst("^(jdbc:[a-z]+://[^/]+/)[^?;]*", "$1" + into);
        }
        return c.withUrl(newUrl);
    }

    /**
     * Deletes the oldest backups beyond {@code keep}; never one whose label matches backup.keepLabels.
     *
     * @return the deleted backups
     */
    public List<Manifest> prune(int keep) {
        if (keep < 1) {
            throw new SwitchbackException(ErrorCode.CONFIG, "--keep must be at least 1, was " + keep);
        }
        List<Manifest> all = catalog.list();
        List<Manifest> deleted = new ArrayList<>();
        int kept = 0;
        for (Manifest m : all) {
            if (isPinned(m)) {
                continue;
            }
            if (kept < keep) {
                kept++;
                continue;
            }
            try {
                catalog.delete(m);
                deleted.add(m);
            } catch (IOException e) {
                throw new SwitchbackException(ErrorCode.FAILED, "Cannot delete backup " + m.id() + ": " + e.getMessage(), e);
            }
        }
        return deleted;
    }

    private boolean isPinned(Manifest m) {
        if (m.label() == null) {
            return false;
        }
        for (String glob : backup.keepLabels()) {
            if (FileSystems.getDefault().getPathMatcher("glob:" + glob).matches(Path.of(m.label()))) {
                return true;
            }
        }
        return false;
    }

    /** For migrate: a backup labelled pre-<target> before anything is applied, then retention. */
    public BeforeMigrate beforeMigrate() {
        return (from, to) -> {
            Manifest m = create("pre-" + to, null);
            List<Manifest> pruned = prune(backup.keep());
            if (!pruned.isEmpty()) {
                log.info("Retention (backup.keep = {}): deleted {}", backup.keep(), pruned.stream().map(Manifest::id).toList());
            }
            log.info("Backup {} taken before migrating from {} to {}", m.id(), from == null ? "nothing" : from, to);
            return m.id();
        };
    }
}

package dev.switchback.migration.discovery;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The last start-up check that found the database up to date with no problem: the settings it ran with, every
 * directory and migration file it walked (in folder locations and classpath folder roots) and every jar holding a
 * classpath root, with what stat said of it, a fingerprint of the history rows it compared them
 * with (see {@code HistoryTable#fingerprint}), and the version it found. A later check for which stat says exactly the
 * same of every entry, and whose history has the same fingerprint, would compute the same plan from the same inputs,
 * so it answers "up to date" without listing the folders, resolving the files or reading the rows again.
 *
 * <p>Why the stats are enough: adding, removing or renaming an entry changes its directory's mtime and ctime, and each
 * directory walked is stat'ed again, so an unchanged directory holds the same names and an unchanged file the same
 * content (any write changes its ctime, which no tool sets back; see {@link ChecksumCache}). Like the checksum cache,
 * an entry changed less than {@link ChecksumCache#RACY} before the walk began is not trusted, so no snapshot is
 * written then, nor on a shared file system (NFS, SMB, FUSE...) whose stat may come from a cache. A snapshot that
 * cannot be read is ignored: it only ever saves work.
 */
public final class UpToDateSnapshot {
    private static final Logger log = LoggerFactory.getLogger(UpToDateSnapshot.class);
    // v5: the walk follows links to folders and meets .SQL names; a v4 walk skipped both, so its snapshot could miss them
    private static final byte[] MAGIC = "switchback up-to-date v5\n".getBytes(StandardCharsets.US_ASCII);

    /**
     * File systems whose stat may come from a client's attribute cache (NFS keeps a directory's for up to a minute),
     * so a file another machine just added could go unseen: no snapshot there.
     */
    private static final java.util.regex.Pattern SHARED_FILE_SYSTEM = java.util.regex.Pattern.compile(
            "nfs.*|cifs|smb.*|9p|ceph|glusterfs|afs|lustre|gpfs|ncpfs|davfs|webdav|afpfs|vboxsf|virtiofs|fuse.*|osxfuse|macfuse");

    private final String key;
    private final String historyFingerprint;
    private final String current;
    private final List<Entry> entries;
    private final String digest;

    /** A directory or file walked, by its absolute path, and what stat said of it. */
    private record Entry(String path, long size, long mtime, long ctime, long dev, long ino) {
        boolean sameAs(ChecksumCache.Stat s) {
            return size == s.size() && mtime == s.mtime() && ctime == s.ctime() && dev == s.dev() && ino == s.ino();
        }
    }

    private UpToDateSnapshot(String key, String historyFingerprint, String current, List<Entry> entries, String digest) {
        this.digest = digest;
        this.key = key;
        this.historyFingerprint = historyFingerprint;
        this.current = current;
        this.entries = entries;
    }

    /** The snapshot kept in {@code file}, or null when there is none or it cannot be read. */
    public static UpToDateSnapshot load(Path file) {
        if (file == null) {
            return null;
        }
        try {
            byte[] bytes = Files.readAllBytes(file);
            ByteBuffer b = ByteBuffer.wrap(bytes);
            byte[] magic = new byte[MAGIC.length];
            b.get(magic);
            if (!Arrays.equals(magic, MAGIC)) {
                return null;
            }
            String key = string(b);
            String fingerprint = string(b);
            String current = string(b);
            int count = b.getInt();
            if (count < 0 || count > b.remaining()) {
                return null;
            }
            List<Entry> entries = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                entries.add(new Entry(string(b), b.getLong(), b.getLong(), b.getLong(), b.getLong(), b.getLong()));
            }
            return b.hasRemaining() ? null : new UpToDateSnapshot(key, fingerprint, current, entries, Checksum.sha256(bytes));
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException | RuntimeException e) {
            log.debug("Ignoring the up-to-date snapshot {}: {}", file, e.toString());
            return null;
        }
    }

    /**
     * Whether, with these settings, stat says now what it said of every directory and file this snapshot's walk met
     * (one stat each, no folder listed; on one thread: a stat of a cached entry takes microseconds, less than handing it
     * to another core). Anything gone or unreadable: false.
     */
    public boolean sameFiles(String settingsKey) {
        if (!key.equals(settingsKey)) {
            return false;
        }
        return entries.stream().allMatch(e -> {
            try {
                return e.sameAs(ChecksumCache.Stat.of(Path.of(e.path())));
            } catch (IOException | RuntimeException x) {
                return false;
            }
        });
    }

    /** The fingerprint of the history this snapshot's check saw, when it was made with these settings; else null. */
    public String historyFingerprint(String settingsKey) {
        return key.equals(settingsKey) ? historyFingerprint : null;
    }

    /** A digest of this snapshot as stored: what a record of a later check that matched it names it by. */
    public String digest() {
        return digest;
    }

    /** The highest applied version the snapshot's check found. */
    public String current() {
        return current;
    }

    /**
     * Remembers a check that found the database up to date with no problem, unless its walk cannot be trusted: no
     * trail, or an entry changed within {@link ChecksumCache#RACY} of {@code walkStartedMillis} (a second change in
     * the same clock tick could leave every attribute as it was). Written atomically; a failure is only logged.
     *
     * @return the {@link #digest()} of the snapshot written, or null when none was
     */
    public static String save(Path file, String settingsKey, LocationScanner scanned, long walkStartedMillis,
                            String historyFingerprint, String current) {
        List<LocationScanner.Seen> trail = scanned.trail();
        if (file == null || trail == null || historyFingerprint == null || current == null) {
            return null;
        }
        long trustedBefore = walkStartedMillis * 1_000_000L - ChecksumCache.RACY;
        try {
            if (!localAndRoundTripping(trail)) {
                return null;
            }
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + trail.size() * 100);
            DataOutputStream out = new DataOutputStream(bytes);
            out.write(MAGIC);
            string(out, settingsKey);
            string(out, historyFingerprint);
            string(out, current);
            out.writeInt(trail.size());
            for (LocationScanner.Seen seen : trail) {
                ChecksumCache.Stat s = seen.stat();
                if (s.mtime() >= trustedBefore || s.ctime() >= trustedBefore) {
                    return null;
                }
                string(out, seen.path().toString());
                out.writeLong(s.size());
                out.writeLong(s.mtime());
                out.writeLong(s.ctime());
                out.writeLong(s.dev());
                out.writeLong(s.ino());
            }
            out.flush();
            byte[] written = bytes.toByteArray();
            AtomicFile.replace(file, tmp -> Files.write(tmp, written));
            return Checksum.sha256(written);
        } catch (IOException | RuntimeException e) {
            log.debug("Could not write the up-to-date snapshot {}: {}", file, e.toString());
            return null;
        }
    }

    /**
     * Whether every entry lies on a local file system (asked once per device) and its path survives being written as
     * text and read back (a name the platform encoding cannot spell would never be found again).
     */
    private static boolean localAndRoundTripping(List<LocationScanner.Seen> trail) throws IOException {
        java.util.Set<Long> devices = new java.util.HashSet<>();
        for (LocationScanner.Seen seen : trail) {
            Path path = seen.path();
            if (!Path.of(path.toString()).equals(path)) {
                return false;
            }
            if (devices.add(seen.stat().dev()) && sharedFileSystem(Files.getFileStore(path).type())) {
                log.debug("No up-to-date snapshot: {} is on a shared file system", path);
                return false;
            }
        }
        return true;
    }

    /** Whether a file store of this type ({@link java.nio.file.FileStore#type()}) may answer stat from a cache. */
    static boolean sharedFileSystem(String type) {
        return SHARED_FILE_SYSTEM.matcher(type.toLowerCase(java.util.Locale.ROOT)).matches();
    }

    private static String string(ByteBuffer b) {
        int n = b.getInt();
        if (n < 0 || n > b.remaining()) {
            throw new IllegalArgumentException("bad string length " + n);
        }
        byte[] s = new byte[n];
        b.get(s);
        return new String(s, StandardCharsets.UTF_8);
    }

    private static void string(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }
}

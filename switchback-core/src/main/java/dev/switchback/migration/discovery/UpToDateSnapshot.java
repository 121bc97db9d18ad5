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
import java.util.Arrays;
import java.util.List;

/**
 * The last start-up check that found the database up to date with no problem: the settings it ran with, what stat said
 * of every directory and migration file it walked, a digest of the history rows it compared them with, and the
 * version it found. A later check whose walk says exactly the same of every entry, and whose history rows digest the
 * same, would compute the same plan from the same inputs, so it answers "up to date" without resolving the files
 * again. Anything else (one attribute, the order of the walk, one history row) and the full check runs.
 *
 * <p>Why equal stat trails mean equal migrations is in {@link LocationScanner#trail()} and {@link ChecksumCache}; like
 * the checksum cache, an entry changed less than {@link ChecksumCache#RACY} before the walk began is not trusted, so
 * no snapshot is written then. A snapshot that cannot be read is ignored: it only ever saves work.
 */
public final class UpToDateSnapshot {
    private static final Logger log = LoggerFactory.getLogger(UpToDateSnapshot.class);
    private static final byte[] MAGIC = "switchback up-to-date v2\n".getBytes(StandardCharsets.US_ASCII);
    /** Per entry: size, mtime, ctime, dev, ino (longs), then the name's hash (an int). */
    private static final int ENTRY = 5 * Long.BYTES + Integer.BYTES;

    private final String key;
    private final String historyDigest;
    private final String current;
    private final ByteBuffer stats;
    private final int count;

    private UpToDateSnapshot(String key, String historyDigest, String current, ByteBuffer stats, int count) {
        this.key = key;
        this.historyDigest = historyDigest;
        this.current = current;
        this.stats = stats;
        this.count = count;
    }

    /** The snapshot kept in {@code file}, or null when there is none or it cannot be read. */
    public static UpToDateSnapshot load(Path file) {
        if (file == null) {
            return null;
        }
        try {
            ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file));
            byte[] magic = new byte[MAGIC.length];
            b.get(magic);
            if (!Arrays.equals(magic, MAGIC)) {
                return null;
            }
            String key = string(b);
            String digest = string(b);
            String current = string(b);
            int count = b.getInt();
            if (count < 0 || b.remaining() != (long) count * ENTRY) {
                return null;
            }
            return new UpToDateSnapshot(key, digest, current, b.slice(), count);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException | RuntimeException e) {
            log.debug("Ignoring the up-to-date snapshot {}: {}", file, e.toString());
            return null;
        }
    }

    /** Whether the walk just made, with these settings, met exactly what this snapshot's walk met. */
    public boolean sameFiles(String settingsKey, LocationScanner scanned) {
        List<LocationScanner.Seen> trail = scanned.trail();
        if (trail == null || trail.size() != count || !key.equals(settingsKey)) {
            return false;
        }
        for (int i = 0; i < count; i++) {
            LocationScanner.Seen seen = trail.get(i);
            ChecksumCache.Stat s = seen.stat();
            int at = i * ENTRY;
            if (stats.getLong(at) != s.size() || stats.getLong(at + 8) != s.mtime() || stats.getLong(at + 16) != s.ctime()
                    || stats.getLong(at + 24) != s.dev() || stats.getLong(at + 32) != s.ino() || stats.getInt(at + 40) != seen.nameHash()) {
                return false;
            }
        }
        return true;
    }

    public String historyDigest() {
        return historyDigest;
    }

    /** The highest applied version the snapshot's check found. */
    public String current() {
        return current;
    }

    /**
     * Remembers a check that found the database up to date with no problem, unless its walk cannot be trusted: no
     * trail, or an entry changed within {@link ChecksumCache#RACY} of {@code walkStartedMillis} (a second change in
     * the same clock tick could leave every attribute as it was). Written atomically; a failure is only logged.
     */
    public static void save(Path file, String settingsKey, LocationScanner scanned, long walkStartedMillis,
                            String historyDigest, String current) {
        List<LocationScanner.Seen> trail = scanned.trail();
        if (file == null || trail == null || historyDigest == null || current == null) {
            return;
        }
        long trustedBefore = walkStartedMillis * 1_000_000L - ChecksumCache.RACY;
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + trail.size() * ENTRY);
            DataOutputStream out = new DataOutputStream(bytes);
            out.write(MAGIC);
            string(out, settingsKey);
            string(out, historyDigest);
            string(out, current);
            out.writeInt(trail.size());
            for (LocationScanner.Seen seen : trail) {
                ChecksumCache.Stat s = seen.stat();
                if (s.mtime() >= trustedBefore || s.ctime() >= trustedBefore) {
                    return;
                }
                out.writeLong(s.size());
                out.writeLong(s.mtime());
                out.writeLong(s.ctime());
                out.writeLong(s.dev());
                out.writeLong(s.ino());
                out.writeInt(seen.nameHash());
            }
            out.flush();
            AtomicFile.replace(file, tmp -> Files.write(tmp, bytes.toByteArray()));
        } catch (IOException | RuntimeException e) {
            log.debug("Could not write the up-to-date snapshot {}: {}", file, e.toString());
        }
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

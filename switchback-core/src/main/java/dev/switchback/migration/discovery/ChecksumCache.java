package dev.switchback.migration.discovery;

import dev.switchback.migration.sql.SqlFlavor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Remembers the checksum of each migration file on disk together with what {@code stat} says of it (size, mtime,
 * ctime, device and inode), so a later run that finds the file unchanged takes the checksum from here instead of
 * reading and hashing it. That is what makes the start-up check of a project with thousands of migrations cost a
 * directory walk.
 *
 * <p>Why this is safe: any write to a file changes its ctime, which no user tool can set back (touch -r and
 * {@code Files.setLastModifiedTime} restore mtime only); replacing the file changes its inode. A file whose ctime or
 * mtime is within {@link #RACY} of the moment it was hashed is not remembered at all, because a second write inside
 * the same clock tick could leave every attribute as it was (git's "racily clean" entries, the same answer). A cache
 * that cannot be read or written is ignored: it only ever saves work.
 */
public final class ChecksumCache {
    private static final Logger log = LoggerFactory.getLogger(ChecksumCache.class);
    // v2: every entry's file was decoded as strict UTF-8 and lexed as the flavor the header names (v1 entries were not)
    private static final String HEADER = "# switchback checksum cache v2 %s: sha256 size mtime-ns ctime-ns dev ino path";
    static final long RACY = TimeUnit.SECONDS.toNanos(2);

    /** What stat says of a file: its type, and what an edit or a replacement changes. */
    record Stat(long size, long mtime, long ctime, long dev, long ino, int mode) {
        private static final String ATTRIBUTES = "unix:mode,size,lastModifiedTime,ctime,dev,ino";
        private static final boolean SUPPORTED = java.nio.file.FileSystems.getDefault().supportedFileAttributeViews().contains("unix");

        static boolean supported() {
            return SUPPORTED;
        }

        /** One stat of {@code path}; a symbolic link is followed when it points to a file. */
        static Stat of(Path path) throws IOException {
            Stat s = read(path, java.nio.file.LinkOption.NOFOLLOW_LINKS);
            return s.symlink() ? read(path) : s;
        }

        private static Stat read(Path path, java.nio.file.LinkOption... options) throws IOException {
            Map<String, Object> a = Files.readAttributes(path, ATTRIBUTES, options);
            return new Stat((Long) a.get("size"), nanos((FileTime) a.get("lastModifiedTime")), nanos((FileTime) a.get("ctime")),
                    (Long) a.get("dev"), (Long) a.get("ino"), (Integer) a.get("mode"));
        }

        boolean directory() {
            return (mode & 0170000) == 0040000;
        }

        boolean regularFile() {
            return (mode & 0170000) == 0100000;
        }

        private boolean symlink() {
            return (mode & 0170000) == 0120000;
        }

        /** Equal as the cache compares them: the type bits are not written to the cache file. */
        boolean sameFile(Stat o) {
            return o != null && size == o.size && mtime == o.mtime && ctime == o.ctime && dev == o.dev && ino == o.ino;
        }
    }

    private record Entry(String checksum, Stat stat) {
    }

    private final Path file;
    private final String header;
    private final long racyNanos;
    /** What "changed too recently" is measured against: the migrator's clock. */
    private final Clock clock;
    private final Map<String, Entry> loaded;
    private final Map<String, Entry> seen;
    private volatile boolean changed;

    private ChecksumCache(Path file, String header, long racyNanos, Clock clock, Map<String, Entry> loaded) {
        this.file = file;
        this.header = header;
        this.racyNanos = racyNanos;
        this.clock = clock;
        this.loaded = loaded;
        this.seen = new ConcurrentHashMap<>(loaded.size() + 16);
    }

    /** A cache that remembers nothing. */
    public static ChecksumCache none() {
        return new ChecksumCache(null, null, RACY, Clock.systemUTC(), Map.of());
    }

    /**
     * The cache kept in {@code file} (null: none); an unreadable or foreign file counts as empty.
     *
     * @param checkedFor the flavor the resolver lexes the files as (null: not lexed): a file remembered here passed
     *                   that check, so a cache written for another flavor counts as empty
     */
    public static ChecksumCache open(Path file, SqlFlavor checkedFor) {
        return open(file, checkedFor, Clock.systemUTC());
    }

    /** {@link #open(Path, SqlFlavor)} with the time read from {@code clock}. */
    public static ChecksumCache open(Path file, SqlFlavor checkedFor, Clock clock) {
        return open(file, checkedFor, RACY, clock);
    }

    static ChecksumCache open(Path file, SqlFlavor checkedFor, long racyNanos) {
        return open(file, checkedFor, racyNanos, Clock.systemUTC());
    }

    private static ChecksumCache open(Path file, SqlFlavor checkedFor, long racyNanos, Clock clock) {
        if (file == null) {
            return none();
        }
        String header = String.format(HEADER, checkedFor == null ? "unlexed" : checkedFor.name().toLowerCase(java.util.Locale.ROOT));
        Map<String, Entry> entries = new HashMap<>();
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line = r.readLine();
            if (header.equals(line)) {
                long[] n = new long[5];
                while ((line = r.readLine()) != null) {
                    // sha256 \t size \t mtime \t ctime \t dev \t ino \t path (the path may hold tabs: it is last)
                    int at = line.indexOf('\t');
                    if (at != 64) {
                        continue;
                    }
                    int k = 0;
                    while (k < 5 && at > 0) {
                        int next = line.indexOf('\t', at + 1);
                        if (next < 0) {
                            break;
                        }
                        n[k++] = Long.parseLong(line, at + 1, next, 10);
                        at = next;
                    }
                    if (k == 5) {
                        entries.put(line.substring(at + 1), new Entry(line.substring(0, 64), new Stat(n[0], n[1], n[2], n[3], n[4], 0)));
                    }
                }
            }
        } catch (NoSuchFileException e) {
            // first run
        } catch (IOException | RuntimeException e) {
            log.debug("Ignoring the checksum cache {}: {}", file, e.toString());
            entries.clear();
        }
        return new ChecksumCache(file, header, racyNanos, clock, entries);
    }

    boolean enabled() {
        return file != null;
    }

    /**
     * The remembered checksum of {@code path}, or null when the file is not known or changed since.
     *
     * @param known what stat said of it a moment ago (the scan's), or null to ask now
     */
    String lookup(Path path, Stat known) {
        if (file == null) {
            return null;
        }
        String key = key(path);
        Entry e = loaded.get(key);
        if (e == null) {
            return null;
        }
        Stat now = known != null ? known : stat(path);
        if (!e.stat().sameFile(now)) {
            return null;
        }
        seen.put(key, e);
        return e.checksum();
    }

    String lookup(Path path) {
        return lookup(path, null);
    }

    /**
     * The attributes to remember for a file about to be read, taken before reading so that a write during it shows.
     *
     * @param known the scan's stat of it, or null to ask now
     */
    Object before(Path path, Stat known) {
        return file == null ? null : known != null ? known : stat(path);
    }

    Object before(Path path) {
        return before(path, null);
    }

    /** Remembers the checksum of what was read, unless the file was written too recently to tell a later write apart. */
    void remember(Path path, Object statBefore, String checksum) {
        if (!(statBefore instanceof Stat s)) {
            return;
        }
        long now = clock.millis() * 1_000_000L;
        if (now - s.ctime() < racyNanos || now - s.mtime() < racyNanos) {
            return;
        }
        String key = key(path);
        Entry e = new Entry(checksum, s);
        seen.put(key, e);
        Entry before = loaded.get(key);
        if (before == null || !before.checksum().equals(checksum) || !before.stat().sameFile(s)) {
            changed = true;
        }
    }

    /** Writes the files seen in this run (atomically: temp file and rename), when anything differs from what was read. */
    void save() {
        if (file == null || (!changed && seen.size() == loaded.size()) || seen.isEmpty()) {
            return;
        }
        try {
            AtomicFile.replace(file, tmp -> {
                try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                    w.write(header);
                    w.write('\n');
                    for (Map.Entry<String, Entry> en : new java.util.TreeMap<>(seen).entrySet()) {
                        Stat s = en.getValue().stat();
                        w.write(en.getValue().checksum() + "\t" + s.size() + "\t" + s.mtime() + "\t" + s.ctime() + "\t" + s.dev()
                                + "\t" + s.ino() + "\t" + en.getKey() + "\n");
                    }
                }
            });
        } catch (IOException | RuntimeException e) {
            log.debug("Could not write the checksum cache {}: {}", file, e.toString());
        }
    }

    /** The file's absolute, normalised path: the scanner's paths are already both, which is then free. */
    private static String key(Path path) {
        if (path.isAbsolute()) {
            String s = path.toString();
            if (!s.contains("/.") && !s.contains("//")) {
                return s;
            }
        }
        return path.toAbsolutePath().normalize().toString();
    }

    private static Stat stat(Path path) {
        if (!Stat.supported()) {
            return null; // not a POSIX file system: nothing is remembered
        }
        try {
            return Stat.of(path);
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException | ClassCastException e) {
            return null;
        }
    }

    private static long nanos(FileTime t) {
        return t.to(TimeUnit.NANOSECONDS);
    }
}

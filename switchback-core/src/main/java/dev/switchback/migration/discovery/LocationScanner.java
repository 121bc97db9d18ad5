package dev.switchback.migration.discovery;

import dev.switchback.migration.ErrorCode;
import dev.switchback.migration.SwitchbackException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.EnumSet;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * Finds the .sql files of the configured locations: directories (recursively) and classpath: prefixes. Any name ending
 * in {@code .sql} in any letter case is returned, so that the resolver reports a {@code V2__x.SQL} instead of it being
 * ignored.
 *
 * <p>Symbolic links to folders are followed, each folder walked once: a link to a folder already walked (a loop back to
 * an ancestor, a second link to the same folder, overlapping locations) adds nothing, so no file counts twice. The
 * folders that are really there are walked before the linked ones, so a file reached both ways is named by its real
 * path.
 */
public final class LocationScanner {
    private final Path baseDir;
    private final ClassLoader classLoader;
    /** Each directory and .sql file walked, in walk order; null once a location cannot give it. */
    private List<Seen> trail = new ArrayList<>();
    /** The folders walked by this scan, by device and inode, so that each is walked once whichever way it is reached. */
    private final Set<String> walked = new HashSet<>();

    /** A directory or .sql file met by the walk, by its absolute path, and what stat said of it. */
    record Seen(ChecksumCache.Stat stat, Path path) {
    }

    public LocationScanner(Path baseDir, ClassLoader classLoader) {
        this.baseDir = baseDir;
        this.classLoader = classLoader;
    }

    /**
     * Every directory walked, every .sql file found and every jar holding a classpath root, by the last {@link #scan},
     * in the order met, or null when a location could not give it (a file system without unix attributes, a classpath
     * root in no file on disk). The same stats of the
     * same paths mean the same migrations: adding, removing or renaming an entry changes its directory's mtime and
     * ctime, and any write to a file its ctime, which no tool sets back.
     */
    List<Seen> trail() {
        return trail;
    }

    public List<ScriptSource> scan(List<String> locations) {
        walked.clear();
        List<ScriptSource> found = new ArrayList<>();
        for (String location : locations) {
            if (location.startsWith(ClasspathRoots.PREFIX)) {
                scanClasspath(ClasspathRoots.prefix(location), found);
            } else {
                scanDirectory(location, found);
            }
        }
        return found;
    }

    private void scanDirectory(String location, List<ScriptSource> found) {
        String raw = location.startsWith("filesystem:") ? location.substring("filesystem:".length()) : location;
        Path dir = baseDir.resolve(raw).normalize();
        if (!Files.isDirectory(dir)) {
            throw new SwitchbackException(ErrorCode.CONFIG, "Migration location '" + location + "' is not a directory ("
                    + dir + "). Check migrations.locations or --locations.");
        }
        try {
            List<ScriptSource> here = new ArrayList<>();
            String base = basePrefix();
            if (ChecksumCache.Stat.supported()) {
                walkRoot(dir.toAbsolutePath(), new Naming(base, ""), here);
            } else {
                trail = null;
                for (Path p : sqlFiles(dir)) {
                    here.add(ScriptSource.ofPath(p, new Naming(base, "").of(p.toAbsolutePath().normalize().toString()), null));
                }
            }
            // no sorting here: the resolver orders by version, and names in messages by path
            found.addAll(here);
        } catch (IOException | UncheckedIOException e) {
            throw new SwitchbackException(ErrorCode.FAILED, "Cannot list migration location " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Walks the folder {@code root} and the folders linked from it, each once, recording each in the trail. */
    private void walkRoot(Path root, Naming naming, List<ScriptSource> out) throws IOException {
        Deque<Seen> links = new ArrayDeque<>();
        links.add(new Seen(ChecksumCache.Stat.of(root), root));
        while (!links.isEmpty()) {
            Seen next = links.poll();
            if (walked.add(key(next.stat()))) {
                if (trail != null) {
                    trail.add(next);
                }
                walk(next.path(), naming, out, links);
            }
        }
    }

    /**
     * How a file found by a walk is named in messages and the history: its absolute path, with {@code strip} (the base
     * folder, or a classpath root) replaced by {@code prefix} when it starts with it.
     */
    private record Naming(String strip, String prefix) {
        String of(String abs) {
            return abs.startsWith(strip) && abs.length() > strip.length() ? prefix + abs.substring(strip.length()) : abs;
        }
    }

    /**
     * The walk of a start-up check: one stat per entry, which says whether it is a directory, a .sql file, and what
     * the checksum cache compares (so a file found unchanged costs no further system call). Symbolic links to files
     * count as files; links to directories are added to {@code links}, to be walked after the real folders. Each
     * path is recorded as reached, through any links, and with what stat says of its target: a link retargeted changes
     * its folder's times, a folder reached through one its own.
     */
    private void walk(Path dir, Naming naming, List<ScriptSource> out, Deque<Seen> links) throws IOException {
        List<Path> entries = new ArrayList<>();
        try (var stream = Files.newDirectoryStream(dir)) {
            for (Path p : stream) {
                entries.add(p);
            }
        }
        // on this thread: spread over the cores, 2,000 stats cost about 30 ms more CPU and saved no time (bench-startup)
        List<Object> stats = entries.stream().map(p -> {
            try {
                return (Object) ChecksumCache.Stat.of(p);
            } catch (IOException e) {
                return e;
            }
        }).toList();
        for (int i = 0; i < entries.size(); i++) {
            Path p = entries.get(i);
            if (stats.get(i) instanceof IOException e) {
                if (Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    throw e;
                }
                continue; // deleted while we looked
            }
            ChecksumCache.Stat st = (ChecksumCache.Stat) stats.get(i);
            if (st.directory()) {
                if (Files.isSymbolicLink(p)) {
                    links.add(new Seen(st, p));
                    continue;
                }
                if (!walked.add(key(st))) {
                    continue;
                }
                if (trail != null) {
                    trail.add(new Seen(st, p));
                }
                walk(p, naming, out, links);
            } else if (st.regularFile() && isSql(p.getFileName().toString())) {
                if (trail != null) {
                    trail.add(new Seen(st, p));
                }
                // entries of an absolute, normalised folder: their path strings are absolute and normalised too
                out.add(ScriptSource.ofPath(p, naming.of(p.toString()), st));
            }
        }
    }

    private static String key(ChecksumCache.Stat st) {
        return st.dev() + ":" + st.ino();
    }

    /**
     * The .sql files below {@code dir} where stat gives no inode: links followed, a loop back to a folder being walked
     * skipped (other folders reached twice are walked twice there).
     */
    private static List<Path> sqlFiles(Path dir) throws IOException {
        List<Path> files = new ArrayList<>();
        Files.walkFileTree(dir, EnumSet.of(FileVisitOption.FOLLOW_LINKS), Integer.MAX_VALUE, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                if (attrs.isRegularFile() && isSql(file.getFileName().toString())) {
                    files.add(file);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (e instanceof FileSystemLoopException) {
                    return FileVisitResult.CONTINUE;
                }
                throw e;
            }
        });
        files.sort(Comparator.comparing(Path::toString));
        return files;
    }

    /** The base folder as the start of the absolute paths below it. */
    private String basePrefix() {
        String base = baseDir.toAbsolutePath().normalize().toString();
        return base.endsWith("/") || base.endsWith(java.io.File.separator) ? base : base + java.io.File.separator;
    }


    /**
     * The .sql files under {@code prefix} in every root the class loader gives. A folder root is walked like a folder
     * location, into the trail; a root inside a jar is in the trail as the file on disk that holds the jar (any rebuild
     * rewrites it), and when there is no such file the trail is given up.
     */
    private void scanClasspath(String prefix, List<ScriptSource> found) {
        for (URL root : ClasspathRoots.of(classLoader, prefix)) {
            try {
                if (root.getProtocol().equals("file")) {
                    Path dir = Paths.get(root.toURI()).toAbsolutePath().normalize();
                    if (ChecksumCache.Stat.supported()) {
                        walkRoot(dir, new Naming(dir + java.io.File.separator, "classpath:" + prefix + "/"), found);
                        continue;
                    }
                    trail = null;
                    for (Path p : sqlFiles(dir)) {
                        found.add(ScriptSource.ofPath(p, "classpath:" + prefix + "/" + dir.relativize(p).toString().replace('\\', '/'), null));
                    }
                } else {
                    trailJar(root);
                    if (root.getProtocol().equals("jar")) {
                        scanJar(root, prefix, found);
                    }
                }
            } catch (IOException | URISyntaxException | UncheckedIOException e) {
                throw new SwitchbackException(ErrorCode.FAILED, "Cannot list " + root + ": " + e.getMessage(), e);
            }
        }
    }

    /** Puts in the trail the file on disk that holds the jar of {@code root}, or gives the trail up when there is none. */
    private void trailJar(URL root) throws IOException {
        Path holder = ClasspathRoots.holder(root.toExternalForm());
        if (trail == null || holder == null || !ChecksumCache.Stat.supported()) {
            trail = null;
            return;
        }
        ChecksumCache.Stat st = ChecksumCache.Stat.of(holder);
        if (!st.regularFile()) {
            trail = null;
            return;
        }
        trail.add(new Seen(st, holder.toAbsolutePath().normalize()));
    }

    private void scanJar(URL root, String prefix, List<ScriptSource> found) throws IOException {
        JarURLConnection connection = (JarURLConnection) root.openConnection();
        connection.setUseCaches(false);
        List<String> names = new ArrayList<>();
        try (JarFile jar = connection.getJarFile()) {
            for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
                JarEntry entry = e.nextElement();
                String name = entry.getName();
                if (!entry.isDirectory() && name.startsWith(prefix + "/") && isSql(name.substring(name.lastIndexOf('/') + 1))) {
                    names.add(name);
                }
            }
        }
        Collections.sort(names);
        for (String name : names) {
            URL url = classLoader.getResource(name);
            found.add(ScriptSource.ofUrl(name.substring(name.lastIndexOf('/') + 1), "classpath:" + name, url));
        }
    }

    /** A name ending in .sql in any letter case (the resolver reports one that is not a migration name as written). */
    private static boolean isSql(String fileName) {
        return fileName.regionMatches(true, fileName.length() - 4, ".sql", 0, 4) && !fileName.startsWith(".");
    }
}

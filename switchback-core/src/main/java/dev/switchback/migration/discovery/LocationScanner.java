package dev.switchback.migration.discovery;

import dev.switchback.migration.ErrorCode;
import dev.switchback.migration.SwitchbackException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/** Finds the .sql files of the configured locations: directories (recursively) and classpath: prefixes. */
public final class LocationScanner {
    private static final String CLASSPATH = "classpath:";
    private final Path baseDir;
    private final ClassLoader classLoader;

    public LocationScanner(Path baseDir, ClassLoader classLoader) {
        this.baseDir = baseDir;
        this.classLoader = classLoader;
    }

    public List<ScriptSource> scan(List<String> locations) {
        List<ScriptSource> found = new ArrayList<>();
        for (String location : locations) {
            if (location.startsWith(CLASSPATH)) {
                scanClasspath(location.substring(CLASSPATH.length()), found);
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
        try (Stream<Path> files = Files.walk(dir)) {
            files.filter(p -> isSql(p.getFileName().toString()) && Files.isRegularFile(p))
                    .sorted(Comparator.comparing(Path::toString))
                    .forEach(p -> found.add(ScriptSource.ofPath(p, display(p))));
        } catch (IOException | UncheckedIOException e) {
            throw new SwitchbackException(ErrorCode.FAILED, "Cannot list migration location " + dir + ": " + e.getMessage(), e);
        }
    }

    private String display(Path p) {
        Path abs = p.toAbsolutePath().normalize();
        Path base = baseDir.toAbsolutePath().normalize();
        return abs.startsWith(base) ? base.relativize(abs).toString() : abs.toString();
    }

    private void scanClasspath(String rawPrefix, List<ScriptSource> found) {
        String prefix = rawPrefix.replaceAll("^/+", "").replaceAll("/+$", "");
        Enumeration<URL> roots;
        try {
            roots = classLoader.getResources(prefix);
        } catch (IOException e) {
            throw new SwitchbackException(ErrorCode.FAILED, "Cannot read classpath:" + prefix + ": " + e.getMessage(), e);
        }
        List<URL> list = Collections.list(roots);
        if (list.isEmpty()) {
            throw new SwitchbackException(ErrorCode.CONFIG, "Migration location 'classpath:" + prefix
                    + "' is not on the classpath. Check that the migrations are packaged under " + prefix + "/.");
        }
        for (URL root : list) {
            try {
                if (root.getProtocol().equals("file")) {
                    Path dir = Paths.get(root.toURI());
                    try (Stream<Path> files = Files.walk(dir)) {
                        files.filter(p -> isSql(p.getFileName().toString()) && Files.isRegularFile(p))
                                .sorted(Comparator.comparing(Path::toString))
                                .forEach(p -> found.add(ScriptSource.ofPath(p,
                                        "classpath:" + prefix + "/" + dir.relativize(p).toString().replace('\\', '/'))));
                    }
                } else if (root.getProtocol().equals("jar")) {
                    scanJar(root, prefix, found);
                }
            } catch (IOException | URISyntaxException e) {
                throw new SwitchbackException(ErrorCode.FAILED, "Cannot list " + root + ": " + e.getMessage(), e);
            }
        }
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

    private static boolean isSql(String fileName) {
        return fileName.endsWith(".sql") && !fileName.startsWith(".");
    }
}

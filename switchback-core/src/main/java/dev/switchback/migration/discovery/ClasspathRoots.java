package dev.switchback.migration.discovery;

import dev.switchback.migration.ErrorCode;
import dev.switchback.migration.SwitchbackException;

import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;

/**
 * Where a {@code classpath:} location is: the roots the class loader gives for its prefix (folders, jars), and the file
 * on disk that holds a root inside a jar, whose stat then stands for everything in it.
 */
public final class ClasspathRoots {
    static final String PREFIX = "classpath:";

    private ClasspathRoots() {
    }

    /** The prefix of {@code classpath:PREFIX} without leading or trailing slashes. */
    static String prefix(String location) {
        return location.substring(PREFIX.length()).replaceAll("^/+", "").replaceAll("/+$", "");
    }

    /** Every root holding {@code prefix}, in the class loader's order; refused (CONFIG) when there is none. */
    static List<URL> of(ClassLoader classLoader, String prefix) {
        List<URL> roots;
        try {
            roots = Collections.list(classLoader.getResources(prefix));
        } catch (IOException e) {
            throw new SwitchbackException(ErrorCode.FAILED, "Cannot read classpath:" + prefix + ": " + e.getMessage(), e);
        }
        if (roots.isEmpty()) {
            throw new SwitchbackException(ErrorCode.CONFIG, "Migration location 'classpath:" + prefix
                    + "' is not on the classpath. Check that the migrations are packaged under " + prefix + "/.");
        }
        return roots;
    }

    /**
     * Each classpath location with the roots it has now, one line each: a root added or gone (another jar or folder on
     * the class path) makes another line, which a stat of the old roots could not show.
     */
    public static String describe(ClassLoader classLoader, List<String> locations) {
        StringBuilder s = new StringBuilder();
        for (String location : locations) {
            if (location.startsWith(PREFIX)) {
                s.append(location);
                for (URL root : of(classLoader, prefix(location))) {
                    s.append(' ').append(root.toExternalForm());
                }
                s.append('\n');
            }
        }
        return s.toString();
    }

    /**
     * The file or folder on disk that holds {@code url}: itself for a {@code file:} URL, the outermost jar for a
     * {@code jar:file:...!/...} URL and for Spring Boot's nested jars ({@code jar:nested:/app.jar/!BOOT-INF/...}), as
     * any rebuild of an inner jar rewrites the outer one; null for anything else (a remote or virtual file system).
     */
    public static Path holder(String url) {
        String s = url;
        while (s.startsWith("jar:")) {
            s = s.substring("jar:".length());
        }
        try {
            if (s.startsWith("file:")) {
                int bang = s.indexOf("!/");
                return Path.of(URI.create(bang < 0 ? s : s.substring(0, bang)));
            }
            if (s.startsWith("nested:")) {
                int bang = s.indexOf("/!");
                return Path.of(URI.create("file:" + s.substring("nested:".length(), bang < 0 ? s.length() : bang)));
            }
        } catch (IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
            return null;
        }
        return null;
    }
}

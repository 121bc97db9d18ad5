package dev.switchback.migration;

import java.nio.file.Path;
import java.util.Locale;

/** The one reader of SQLite JDBC URLs ({@code jdbc:sqlite:path?params}): which file they name. */
public final class SqliteUrl {
    private static final String PREFIX = "jdbc:sqlite:";

    private SqliteUrl() {
    }

    public static boolean is(String url) {
        return url != null && url.toLowerCase(Locale.ROOT).startsWith(PREFIX);
    }

    /** The database file the URL names, as written (maybe relative); null for other URLs, in-memory and {@code file:} URIs. */
    public static Path file(String url) {
        if (!is(url)) {
            return null;
        }
        String rest = url.substring(PREFIX.length());
        int q = rest.indexOf('?');
        if (q >= 0) {
            rest = rest.substring(0, q);
        }
        if (rest.isEmpty() || rest.startsWith(":memory:") || rest.startsWith("file:")) {
            return null;
        }
        return Path.of(rest);
    }

    /** The same URL (parameters kept) naming another file. */
    public static String withFile(String url, Path file) {
        int q = url.indexOf('?');
        return PREFIX + file + (q >= 0 ? url.substring(q) : "");
    }
}

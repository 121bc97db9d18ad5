package dev.switchback.migration.discovery;

import dev.switchback.migration.ErrorCode;
import dev.switchback.migration.SwitchbackException;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;

/** A .sql file found in a location: on disk or on the classpath. */
public final class ScriptSource {
    private final String fileName;
    private final String displayName;
    private final Path path;
    private final URL url;
    private final ChecksumCache.Stat stat;

    private ScriptSource(String fileName, String displayName, Path path, URL url, ChecksumCache.Stat stat) {
        this.fileName = fileName;
        this.displayName = displayName;
        this.path = path;
        this.url = url;
        this.stat = stat;
    }

    /** @param stat what stat said of the file when it was found, or null */
    static ScriptSource ofPath(Path path, String displayName, ChecksumCache.Stat stat) {
        return new ScriptSource(path.getFileName().toString(), displayName, path, null, stat);
    }

    static ScriptSource ofUrl(String fileName, String displayName, URL url) {
        return new ScriptSource(fileName, displayName, null, url, null);
    }

    /** What stat said of the file when the scan found it (before it was read), or null. */
    ChecksumCache.Stat stat() {
        return stat;
    }

    public String fileName() {
        return fileName;
    }

    /** The name shown in messages and stored in the history: a path or a classpath: name. */
    public String displayName() {
        return displayName;
    }

    /** The file on disk, or null for a classpath resource inside a jar. */
    public Path path() {
        return path;
    }

    /** A file on disk named in messages by {@code displayName}, read as a migration is. */
    public static ScriptSource ofFile(Path path, String displayName) {
        return ofPath(path, displayName, null);
    }

    /**
     * A script as read: its text, BOM removed and line endings normalised to \n, and the checksum of its bytes so
     * normalised.
     */
    public record Text(String sql, String checksum) {
    }

    /**
     * Reads the script, which must be UTF-8.
     *
     * @throws SwitchbackException (CONFIG) naming the byte offset of an invalid UTF-8 sequence, (FAILED) when it
     *                             cannot be read
     */
    public Text read() {
        byte[] bytes;
        try {
            if (path != null) {
                bytes = Files.readAllBytes(path);
            } else {
                try (InputStream in = url.openStream()) {
                    bytes = in.readAllBytes();
                }
            }
        } catch (IOException e) {
            throw new SwitchbackException(ErrorCode.FAILED, "Cannot read " + displayName + ": " + e.getMessage(), e);
        }
        return new Text(Checksum.normalise(Checksum.decode(bytes, displayName)), Checksum.ofBytes(bytes));
    }

    /**
     * The text of the file beside this one named with {@code suffix} appended (Flyway's {@code V1__x.sql.conf}), or
     * null when there is none.
     */
    String companion(String suffix) {
        try {
            if (path != null) {
                Path other = path.resolveSibling(path.getFileName() + suffix);
                return Files.isRegularFile(other) ? Files.readString(other) : null;
            }
            try (InputStream in = new URL(url.toExternalForm() + suffix).openStream()) {
                return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            } catch (java.io.FileNotFoundException e) {
                return null;
            }
        } catch (IOException e) {
            throw new SwitchbackException(ErrorCode.FAILED, "Cannot read " + displayName + suffix + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return displayName;
    }
}

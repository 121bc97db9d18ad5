package dev.switchback.migration.discovery;

import dev.switchback.migration.ErrorCode;
import dev.switchback.migration.SwitchbackException;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
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

    public String read() {
        try {
            byte[] bytes;
            if (path != null) {
                bytes = Files.readAllBytes(path);
            } else {
                try (InputStream in = url.openStream()) {
                    bytes = in.readAllBytes();
                }
            }
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new SwitchbackException(ErrorCode.FAILED, "Cannot read " + displayName + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return displayName;
    }
}

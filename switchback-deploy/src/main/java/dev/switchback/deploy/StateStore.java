package dev.switchback.deploy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.switchback.migration.ErrorCode;
import dev.switchback.migration.SwitchbackException;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/** Reads and writes JSON files atomically: temp file, fsync, rename. A crash leaves the old or the new file, never half. */
public final class StateStore {
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private final Path file;

    public StateStore(Path file) {
        this.file = file;
    }

    public synchronized DeploymentState read() {
        if (!Files.exists(file)) {
            return DeploymentState.INITIAL;
        }
        try {
            return JSON.readValue(file.toFile(), DeploymentState.class);
        } catch (IOException e) {
            throw new SwitchbackException(ErrorCode.FAILED, file + " is unreadable (" + e.getMessage()
                    + "); move it away to start from an empty deployment", e);
        }
    }

    public synchronized void write(DeploymentState state) {
        writeAtomically(file, state);
    }

    public static void writeAtomically(Path target, Object value) {
        try {
            Files.createDirectories(target.getParent());
            Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp");
            Files.write(tmp, JSON.writeValueAsBytes(value));
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new SwitchbackException(ErrorCode.FAILED, "Cannot write " + target + ": " + e.getMessage(), e);
        }
    }
}

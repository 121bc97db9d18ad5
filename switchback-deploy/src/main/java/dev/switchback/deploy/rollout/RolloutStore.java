package dev.switchback.deploy.rollout;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchback.deploy.StateStore;
import dev.switchback.migration.ErrorCode;
import dev.switchback.migration.SwitchbackException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@code .switchback/rollout.json}: the latest rollout, written atomically like state.json. */
final class RolloutStore {
    private static final ObjectMapper JSON = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private final Path file;

    RolloutStore(Path file) {
        this.file = file;
    }

    synchronized Rollout read() {
        if (!Files.exists(file)) {
            return null;
        }
        try {
            return JSON.readValue(file.toFile(), Rollout.class);
        } catch (IOException e) {
            throw new SwitchbackException(ErrorCode.FAILED, file + " is unreadable (" + e.getMessage()
                    + "); move it away to forget the last rollout", e);
        }
    }

    synchronized void write(Rollout r) {
        StateStore.writeAtomically(file, r);
    }
}

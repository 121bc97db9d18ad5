package dev.switchback.deploy;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.switchback.migration.ErrorCode;
import dev.switchback.migration.SwitchbackException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** {@code <deploy.directory>/history.json}: every perform, switch, rollback and cleanup, oldest first. */
public final class DeploymentHistory {
    private static final int MAX = 500;
    private final Path file;

    /** One line of the history. */
    public record Entry(String timestamp, String action, String from, String to, String release, String outcome, String detail) {
    }

    public DeploymentHistory(Path directory) {
        this.file = directory.resolve("history.json");
    }

    public synchronized void append(String action, Slot from, Slot to, String release, String outcome, String detail) {
        List<Entry> all = new ArrayList<>(read());
        all.add(new Entry(Instant.now().toString(), action, from == null ? null : from.id(), to == null ? null : to.id(),
                release, outcome, detail));
        StateStore.writeAtomically(file, all.size() > MAX ? all.subList(all.size() - MAX, all.size()) : all);
    }

    public synchronized List<Entry> read() {
        if (!Files.exists(file)) {
            return List.of();
        }
        try {
            return StateStore.JSON.readValue(file.toFile(), new TypeReference<List<Entry>>() {
            });
        } catch (IOException e) {
            throw new SwitchbackException(ErrorCode.FAILED, file + " is unreadable: " + e.getMessage(), e);
        }
    }

    public List<Entry> recent(int n) {
        List<Entry> all = read();
        return all.subList(Math.max(0, all.size() - n), all.size());
    }
}

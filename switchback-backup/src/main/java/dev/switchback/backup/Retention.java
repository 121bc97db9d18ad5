package dev.switchback.backup;

import dev.switchback.migration.ErrorCode;
import dev.switchback.migration.SwitchbackException;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Deletes the oldest of this database's backups beyond {@code keep}. Never another database's (folders are shared),
 * never one whose label matches backup.keepLabels, never one the history or a release record still points to.
 */
final class Retention {
    private final BackupStore store;
    private final Supplier<Set<String>> releasePins;

    Retention(BackupStore store, Supplier<Set<String>> releasePins) {
        this.store = store;
        this.releasePins = releasePins;
    }

    List<Manifest> prune(int keep) {
        if (keep < 1) {
            throw new SwitchbackException(ErrorCode.CONFIG, "--keep must be at least 1, was " + keep);
        }
        List<Manifest> own = store.own();
        Set<String> pointedTo = null;
        List<Manifest> deleted = new ArrayList<>();
        int kept = 0;
        for (Manifest m : own) {
            if (isPinned(m)) {
                continue;
            }
            if (kept < keep) {
                kept++;
                continue;
            }
            if (pointedTo == null) {
                pointedTo = new HashSet<>(store.migrator.backupIdsInHistory());
                pointedTo.addAll(releasePins.get());
            }
            if (pointedTo.contains(m.id())) {
                continue;
            }
            try {
                store.catalog.delete(m);
                deleted.add(m);
            } catch (IOException e) {
                throw new SwitchbackException(ErrorCode.FAILED, "Cannot delete backup " + m.id() + ": " + e.getMessage(), e);
            }
        }
        return deleted;
    }

    private boolean isPinned(Manifest m) {
        if (m.label() == null) {
            return false;
        }
        for (String glob : store.backup.keepLabels()) {
            if (FileSystems.getDefault().getPathMatcher("glob:" + glob).matches(Path.of(m.label()))) {
                return true;
            }
        }
        return false;
    }
}

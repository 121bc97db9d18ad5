package dev.switchback.backup;

import dev.switchback.migration.BeforeMigrate;
import dev.switchback.migration.BeforeRollback;
import dev.switchback.migration.Migrator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Backups of the migrator's database: create, list, verify, restore, prune. Each verb is a class of its own
 * ({@link CreateBackup}, {@link VerifyBackup}, {@link RestoreBackup}, {@link Retention}); this is their front door.
 * Only this database's backups are listed, found by label or pruned, even in a backup folder shared with others.
 */
public final class Backups {
    private static final Logger log = LoggerFactory.getLogger(Backups.class);
    private final BackupStore store;
    private final Supplier<Set<String>> releasePins;

    public Backups(Migrator migrator, BackupConfig backup) {
        this(migrator, backup, Set::of);
    }

    /**
     * @param releasePins the backup ids release records point to (e.g. the daemon's deploy history): never pruned
     */
    public Backups(Migrator migrator, BackupConfig backup, Supplier<Set<String>> releasePins) {
        this.store = new BackupStore(migrator, backup);
        this.releasePins = releasePins;
    }

    /** Takes a backup; on any failure the half-written folder is removed and nothing is listed. */
    public Manifest create(String label, String release) {
        return new CreateBackup(store).run(label, release);
    }

    /** The dump tool and the version it printed, once it is found to run and to suit the server (CONFIG otherwise). */
    public String[] dumpTool() {
        return store.engine().toolAndVersion();
    }

    /** This database's backups, newest first. */
    public List<Manifest> list() {
        return store.own();
    }

    /** By id, or the newest of this database's backups with that label. */
    public Manifest find(String ref) {
        return store.find(ref);
    }

    /** Checksums of every file; with the key, decryption and authentication; and that the tool can read the dump. */
    public BackupVerification verify(String ref) {
        return new VerifyBackup(store).run(store.find(ref), true);
    }

    /** Verifies, takes a safety backup, restores all-or-nothing, restores the file set, optionally migrates. */
    public RestoreResult restore(RestoreOptions options) {
        return new RestoreBackup(store).run(options);
    }

    /**
     * Deletes the oldest of this database's backups beyond {@code keep}; never one whose label matches
     * backup.keepLabels, nor one the history or a release record points to.
     *
     * @return the deleted backups
     */
    public List<Manifest> prune(int keep) {
        return new Retention(store, releasePins).prune(keep);
    }

    /** For migrate: a backup labelled pre-<target> before anything is applied, then retention. */
    public BeforeMigrate beforeMigrate() {
        return beforeMigrate(null);
    }

    /** For rollback: a backup labelled pre-rollback-<to> (0 when everything is undone) before any down SQL runs, then retention. */
    public BeforeRollback beforeRollback() {
        return (from, to) -> {
            String target = to == null ? "0" : to;
            String id = backupThenPrune("pre-rollback-" + target, null);
            log.info("Backup {} taken before rolling back from {} to {}", id, from, target);
            return id;
        };
    }

    private String backupThenPrune(String label, String release) {
        Manifest m = create(label, release);
        List<Manifest> pruned = prune(store.backup.keep());
        if (!pruned.isEmpty()) {
            log.info("Retention (backup.keep = {}): deleted {}", store.backup.keep(), pruned.stream().map(Manifest::id).toList());
        }
        return m.id();
    }

    /** As {@link #beforeMigrate()}, recording the release the migration belongs to in the manifest. */
    public BeforeMigrate beforeMigrate(String release) {
        return (from, to) -> {
            String id = backupThenPrune("pre-" + to, release);
            log.info("Backup {} taken before migrating from {} to {}", id, from == null ? "nothing" : from, to);
            return id;
        };
    }
}

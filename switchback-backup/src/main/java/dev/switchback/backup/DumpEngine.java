package dev.switchback.backup;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;

/** One database's dump and restore tools. */
interface DumpEngine {

    /** Supplies the plaintext dump, once per call (decrypting on the fly when the backup is encrypted). */
    @FunctionalInterface
    interface DumpSource {
        InputStream open() throws IOException;

        /**
         * Called by a restore after it has read the stream of its last {@link #open()} and before its point of no
         * return (a COMMIT, a rename, dropping the target): throws {@link dev.switchback.migration.SwitchbackException}
         * (VERIFICATION) when the bytes read were not the backup's. This is how a restore checks the checksum while
         * streaming instead of in a second pass over the file.
         */
        default void confirm() throws IOException {
        }

        /**
         * The dump as a plain file a tool may read itself (an unencrypted backup), or null when it can only be read
         * through {@link #open()}. A restore that hands the file to its tool reads it through {@link #open()} at the
         * same time, on a thread of its own, so {@link #confirm()} still covers every byte.
         */
        default java.nio.file.Path file() {
            return null;
        }
    }

    String dialect();

    /** The data file's name inside the backup folder (before any .enc suffix). */
    String fileName();

    /** The tool and its version, after checking it can work with this server; a mismatch that would fail is an error. */
    String[] toolAndVersion();

    /** Streams a consistent dump of the whole database. */
    void dump(OutputStream out) throws IOException;

    /** Proves the dump can be read back (e.g. pg_restore --list); throws VERIFICATION naming the problem. */
    void checkReadable(DumpSource dump, String name) throws IOException;

    /**
     * Replaces the database with the dump, all-or-nothing where the database allows it. Calls
     * {@link DumpSource#confirm()} before the point of no return, so a backup that fails its checksum changes nothing.
     *
     * @param into a new database (or SQLite file) to restore into instead, leaving the original untouched; or null
     */
    void restore(DumpSource dump, String into) throws IOException;

    /**
     * After {@link #restore} failed: false only when the target is provably as it was before it (a transaction rolled
     * back, a checked copy never renamed, a target never dropped). Asked once, right after the failure.
     */
    boolean changedTarget();

    /** Puts the target back from the safety backup after a failed restore that changed it. */
    default void undo(DumpSource safety) throws IOException {
        restore(safety, null);
    }

    /** Tables in the database (or in {@code into}), for the restore report. */
    List<String> tables(String into);

    /** What restore guarantees, for the output ("atomic", or plainly what is not). */
    String atomicity();
}

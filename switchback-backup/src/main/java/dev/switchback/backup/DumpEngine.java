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
     * Replaces the database with the dump, all-or-nothing where the database allows it.
     *
     * @param into a new database (or SQLite file) to restore into instead, leaving the original untouched; or null
     */
    void restore(DumpSource dump, String into) throws IOException;

    /** Tables in the database (or in {@code into}), for the restore report. */
    List<String> tables(String into);

    /** What restore guarantees, for the output ("atomic", or plainly what is not). */
    String atomicity();
}

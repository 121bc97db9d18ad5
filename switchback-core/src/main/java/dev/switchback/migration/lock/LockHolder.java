package dev.switchback.migration.lock;

import java.time.Instant;

/**
 * Who holds the migration lock.
 *
 * @param pid     the holder's process id, or -1 when no holder record names it (see {@link #unrecorded})
 * @param expires when a SQLite lease runs out without a heartbeat; null for session locks
 */
public record LockHolder(String holder, String host, long pid, Instant since, Instant expires) {

    /**
     * A session holding the lock without a holder record (cleared by {@code unlock --force}, or written by a version
     * that kept none), described by what the server knows of it.
     */
    public static LockHolder unrecorded(String session, Instant since) {
        return new LockHolder("a database session with no holder record (" + session + ")", null, -1, since, null);
    }

    /** "user on host (pid N)", or the server's description of an unrecorded session. */
    public String who() {
        return pid < 0 ? holder : holder + " on " + host + " (pid " + pid + ")";
    }

    public String describe() {
        return who() + (since == null ? "" : " since " + since);
    }
}

package dev.switchback.migration.lock;

import java.time.Instant;

/**
 * Who holds the migration lock.
 *
 * @param expires when a SQLite lease runs out without a heartbeat; null for session locks
 */
public record LockHolder(String holder, String host, long pid, Instant since, Instant expires) {

    public String describe() {
        return holder + " on " + host + " (pid " + pid + ") since " + since;
    }
}

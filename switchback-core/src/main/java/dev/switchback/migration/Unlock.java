package dev.switchback.migration;

import dev.switchback.migration.lock.LockHolder;
import dev.switchback.migration.lock.LockRecord;
import dev.switchback.migration.lock.MigrationLock;
import dev.switchback.migration.lock.OrphanedSession;

import java.sql.SQLException;

/** The unlock verb: shows the holder; with force clears a stale SQLite lease or holder record. */
final class Unlock {
    private Unlock() {
    }

    static UnlockResult run(MigrationConfig config, boolean force) {
        if (Database.isMissingSqliteFile(config)) {
            return new UnlockResult(null, null, false, false, "No lock: the database file does not exist yet.");
        }
        try (Database db = Database.open(config)) {
            String table = db.dialect.quoteQualified(config.lockTable());
            LockHolder recorded;
            LockHolder live;
            try {
                recorded = LockRecord.read(db.connection, table);
                live = db.dialect.liveHolder(db.connection, db.lockTarget());
            } catch (SQLException e) {
                if (db.dialect.isUndefinedTable(e)) {
                    return new UnlockResult(null, null, false, false, "No lock: " + config.lockTable() + " does not exist yet.");
                }
                throw e;
            }
            LockHolder shown = live != null ? live : recorded;
            String who = shown == null ? null : shown.who();
            String since = shown == null || shown.since() == null ? null : shown.since().toString();
            boolean sessionLock = !db.dialect.name().equals("sqlite");
            if (!force) {
                String msg = shown == null ? "The migration lock is free."
                        : (live != null ? "Held by " : "Stale record (the holder is gone) of ") + shown.describe()
                        + (live != null && sessionLock ? ". It is released when that database session ends" : "")
                        + ". `unlock --force` clears the " + (sessionLock ? "holder record." : "lease.");
                return new UnlockResult(who, since, live != null, false, msg);
            }
            // the record is the only pointer to a gone holder's still-running statement: end it (as the next holder
            // would, under the lock) before the record goes
            String orphan = sessionLock && live == null ? OrphanedSession.running(db.connection, table, db.dialect.sessions()) : null;
            if (orphan != null) {
                try (MigrationLock lock = db.newLock()) {
                    lock.acquire(config.lockTimeout());
                }
            }
            boolean cleared = LockRecord.clear(db.connection, table) > 0 || orphan != null;
            String msg;
            if (sessionLock) {
                msg = (cleared ? "Cleared the holder record." : "There was no holder record.")
                        + (orphan != null ? " Ended the gone holder's database session, which was still running (" + orphan + ")." : "")
                        + " On " + db.dialect.name() + " the lock itself belongs to the holder's database session and dies with it"
                        + (live != null ? "; it is still held: end that session (pg_terminate_backend / KILL) if the holder is stuck." : "; it is free now.");
            } else {
                msg = cleared ? "Cleared the SQLite lease" + (live != null ? " (it had not expired: make sure " + who + " is really gone)." : ".")
                        : "There was no lease to clear.";
            }
            db.audit("unlock", null, cleared ? "cleared" : "nothing", msg);
            return new UnlockResult(who, since, live != null, cleared, msg);
        } catch (SQLException e) {
            throw new SwitchbackException(ErrorCode.FAILED, "Unlock failed: " + e.getMessage(), e);
        }
    }
}

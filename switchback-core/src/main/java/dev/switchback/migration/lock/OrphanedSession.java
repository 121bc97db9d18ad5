package dev.switchback.migration.lock;

import dev.switchback.migration.ErrorCode;
import dev.switchback.migration.SwitchbackException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * The working session of a lock holder that died mid-statement: the lock went with the holder, but the server may still
 * run the statement, which the journal does not count as done, so the next migrator would run it again beside it.
 */
public final class OrphanedSession {
    private static final Logger log = LoggerFactory.getLogger(OrphanedSession.class);

    private OrphanedSession() {
    }

    /** What the session the lock record names is doing, if it is still there (null also when no session is named). */
    public static String running(Connection c, String quotedTable, DatabaseSessions sessions) throws SQLException {
        String recorded = LockRecord.recordedSession(c, quotedTable);
        return recorded == null ? null : sessions.doing(c, recorded);
    }

    /**
     * Ends the session the lock record names, if it is still there, and waits until it is gone. Call only while the
     * lock is free or ours (its holder is gone).
     *
     * @param ours the caller's own session, never ended (null when the caller runs no statements)
     * @return what the ended session was doing, or null when there was none
     */
    public static String end(Connection c, String quotedTable, DatabaseSessions sessions, String ours, long deadlineNanos)
            throws SQLException, InterruptedException {
        String previous = LockRecord.recordedSession(c, quotedTable);
        if (previous == null || previous.equals(ours)) {
            return null;
        }
        String doing = sessions.doing(c, previous);
        if (doing == null) {
            return null;
        }
        LockHolder gone = LockRecord.read(c, quotedTable);
        String who = gone == null ? "the previous migrator" : gone.describe();
        log.warn("The previous migration lock holder, {}, is gone but its database session is still there ({}); ending it "
                + "so that its statement is not applied a second time", who, doing);
        try {
            sessions.end(c, previous);
        } catch (SQLException e) {
            throw new SwitchbackException(ErrorCode.FAILED, "The previous migration lock holder, " + who
                    + ", is gone but its database session is still there (" + doing + ") and could not be ended: "
                    + e.getMessage() + ". End that session (pg_terminate_backend / KILL CONNECTION) and run again: "
                    + "otherwise its statement and the next migrator's could both apply.", e);
        }
        String still;
        while ((still = sessions.doing(c, previous)) != null) {
            if (System.nanoTime() > deadlineNanos) {
                throw new SwitchbackException(ErrorCode.LOCK_TIMEOUT, "The previous migration lock holder, " + who
                        + ", is gone; its database session was told to end but is still there (" + still
                        + "), e.g. rolling back. Run again once it has gone, or raise lockTimeout.");
            }
            Thread.sleep(50);
        }
        return doing;
    }
}

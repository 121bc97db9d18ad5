package dev.switchback.migration.lock;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * The server sessions of migrators, so that a new lock holder can end the statement a gone holder left running: the
 * server keeps running a statement after its client vanished (MariaDB/MySQL until it ends; PostgreSQL until it
 * notices, which without a TCP reset takes the keepalive time), and the journal would re-run it beside the orphan.
 */
public interface DatabaseSessions {

    /** An id of {@code worker}'s server session that no later session can have. */
    String idOf(Connection worker) throws SQLException;

    /** What session {@code id} is doing if it is still connected (e.g. "active: INSERT ..."), else null. */
    String doing(Connection c, String id) throws SQLException;

    /** Asks the server to end session {@code id} (its statement is rolled back); it may take a moment to go. */
    void end(Connection c, String id) throws SQLException;
}

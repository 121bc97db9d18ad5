package dev.switchback.migration.dialect;

import dev.switchback.migration.lock.DatabaseSessions;
import dev.switchback.migration.lock.LockHolder;
import dev.switchback.migration.lock.MigrationLock;
import dev.switchback.migration.sql.SqlFlavor;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** What differs between databases: DDL of our tables, the lock, quoting, transactional DDL. */
public interface Dialect {

    String name();

    SqlFlavor flavor();

    /** Whether DDL takes part in transactions (false: it commits implicitly, so we journal per statement). */
    boolean transactionalDdl();

    String quote(String identifier);

    /** Quotes a possibly schema-qualified name such as {@code app.switchback_history}. */
    default String quoteQualified(String name) {
        StringBuilder sb = new StringBuilder();
        for (String part : name.split("\\.")) {
            if (sb.length() > 0) {
                sb.append('.');
            }
            sb.append(quote(part));
        }
        return sb.toString();
    }

    /** The current schema (PostgreSQL) or database (MariaDB/MySQL, SQLite file name). */
    String currentSchema(Connection connection) throws SQLException;

    String textType();

    String timestampType();

    default List<String> historyTableDdl(String table) {
        return List.of("CREATE TABLE IF NOT EXISTS " + quoteQualified(table) + " ("
                + "installed_rank INTEGER NOT NULL PRIMARY KEY, "
                + "version VARCHAR(50), "
                + "description VARCHAR(200) NOT NULL, "
                + "type VARCHAR(20) NOT NULL, "
                + "script VARCHAR(1000) NOT NULL, "
                + "checksum VARCHAR(64), "
                + "up_sql " + textType() + ", "
                + "down_sql " + textType() + ", "
                + "installed_by VARCHAR(100) NOT NULL, "
                + "installed_on " + timestampType() + " NOT NULL, "
                + "execution_ms INTEGER NOT NULL, "
                + "state VARCHAR(20) NOT NULL, "
                + "statements_done INTEGER NOT NULL, "
                + "backup_id VARCHAR(100))" + tableSuffix());
    }

    default List<String> lockTableDdl(String table) {
        return List.of("CREATE TABLE IF NOT EXISTS " + quoteQualified(table) + " ("
                + "id INTEGER NOT NULL PRIMARY KEY, "
                + "token VARCHAR(64) NOT NULL, "
                + "holder VARCHAR(200) NOT NULL, "
                + "host VARCHAR(200) NOT NULL, "
                + "pid BIGINT NOT NULL, "
                + "acquired_ms BIGINT NOT NULL, "
                + "heartbeat_ms BIGINT NOT NULL, "
                + "expires_ms BIGINT)" + tableSuffix());
    }

    default List<String> logTableDdl(String table) {
        return List.of("CREATE TABLE IF NOT EXISTS " + quoteQualified(table) + " ("
                + "id " + autoIncrementKey() + ", "
                + "logged_on " + timestampType() + " NOT NULL, "
                + "action VARCHAR(30) NOT NULL, "
                + "who VARCHAR(200) NOT NULL, "
                + "versions " + textType() + ", "
                + "outcome VARCHAR(30) NOT NULL, "
                + "detail " + textType() + ")" + tableSuffix());
    }

    String autoIncrementKey();

    /** SQL that makes the table's generated ids continue after the highest id written explicitly, or null when they do. */
    default String continueIdsSql(String quotedTable) {
        return null;
    }

    default String tableSuffix() {
        return "";
    }

    /**
     * A lock for the history table {@code table}, polled on connections from {@code connections}, for a command
     * whose statements run on {@code worker}.
     */
    MigrationLock lock(Connections connections, LockTarget target, Connection worker);

    /** The server sessions of migrators, for ending a gone holder's statement; null where the lock is no session's (SQLite). */
    default DatabaseSessions sessions() {
        return null;
    }

    /** Settings every connection we open needs (SQLite: wait for other writers instead of failing at once). */
    default void initConnection(Connection connection) throws SQLException {
    }

    /** Session settings for the connection that runs migrations; undone by {@link #resetSession}. */
    default void prepareSession(Connection connection, Duration statementLockTimeout) throws SQLException {
    }

    default void resetSession(Connection connection) throws SQLException {
    }

    /** The process holding the lock right now (a stale record of a dead session is not a holder), or null. */
    LockHolder liveHolder(Connection connection, LockTarget target) throws SQLException;

    /** Whether the error is a lock timeout worth retrying (PostgreSQL 55P03). */
    default boolean isLockTimeout(SQLException e) {
        return false;
    }

    /**
     * The invalid indexes (left by a failed concurrent build) named {@code indexes} or on {@code tables}, names given
     * as their last part in lower case; empty where the server has no such state.
     */
    default boolean hasInvalidIndexes() {
        return false;
    }

    default List<InvalidIndex> invalidIndexes(Connection connection, List<String> indexes, List<String> tables) throws SQLException {
        return List.of();
    }

    /** Whether the error says a table does not exist. */
    boolean isUndefinedTable(SQLException e);

    /**
     * An SQL expression over one history row giving a 64-bit hash of every column a plan reads (rank, version, type,
     * script, checksum, state, statements done), seeded by the rank so that moving a value to another row shows too.
     * The sum of it over the table fingerprints the history in one small answer, which the start-up check compares
     * with the fingerprint its last nothing-to-do check saw instead of reading thousands of rows. Null when this
     * server cannot compute one; the rows are then read and hashed by the client.
     */
    default String historyRowHash(Connection connection) throws SQLException {
        return null;
    }

    default void bindTimestamp(PreparedStatement ps, int index, Instant instant) throws SQLException {
        ps.setTimestamp(index, java.sql.Timestamp.from(instant));
    }

    default Instant readTimestamp(ResultSet rs, String column) throws SQLException {
        java.sql.Timestamp ts = rs.getTimestamp(column);
        return ts == null ? null : ts.toInstant();
    }
}

package dev.switchback.migration.dialect;

import dev.switchback.migration.lock.DatabaseSessions;
import dev.switchback.migration.lock.LockHolder;
import dev.switchback.migration.lock.LockRecord;
import dev.switchback.migration.lock.MigrationLock;
import dev.switchback.migration.lock.SessionLock;
import dev.switchback.migration.sql.SqlFlavor;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HexFormat;

final class MySqlDialect implements Dialect {

    @Override
    public String name() {
        return "mariadb/mysql";
    }

    @Override
    public SqlFlavor flavor() {
        return SqlFlavor.MYSQL;
    }

    @Override
    public boolean transactionalDdl() {
        return false;
    }

    @Override
    public String quote(String identifier) {
        return '`' + identifier.replace("`", "``") + '`';
    }

    @Override
    public String currentSchema(Connection connection) throws SQLException {
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery("SELECT DATABASE()")) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Override
    public String textType() {
        return "LONGTEXT";
    }

    @Override
    public String timestampType() {
        return "DATETIME(3)";
    }

    @Override
    public String autoIncrementKey() {
        return "BIGINT AUTO_INCREMENT PRIMARY KEY";
    }

    @Override
    public String tableSuffix() {
        return " ENGINE=InnoDB";
    }

    @Override
    public DatabaseSessions sessions() {
        return new MySqlSessions();
    }

    @Override
    public MigrationLock lock(Connections connections, LockTarget target, Connection worker) {
        String name = lockName(target);
        LockRecord record = new LockRecord(quoteQualified(target.lockTable()), System.getProperty("user.name"));
        return new SessionLock(connections, record, lockTableDdl(target.lockTable()), sessions(), worker) {
            @Override
            protected boolean tryLock(Connection c) throws SQLException {
                try (PreparedStatement ps = c.prepareStatement("SELECT GET_LOCK(?, 0)")) {
                    ps.setString(1, name);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        return rs.getInt(1) == 1;
                    }
                }
            }

            @Override
            protected void unlock(Connection c) throws SQLException {
                try (PreparedStatement ps = c.prepareStatement("SELECT RELEASE_LOCK(?)")) {
                    ps.setString(1, name);
                    ps.execute();
                }
            }
        };
    }

    @Override
    public LockHolder liveHolder(Connection connection, LockTarget target) throws SQLException {
        long session;
        try (PreparedStatement ps = connection.prepareStatement("SELECT IS_USED_LOCK(?)")) {
            ps.setString(1, lockName(target));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                session = rs.getLong(1);
                if (rs.wasNull()) {
                    return null;
                }
            }
        }
        LockHolder holder = LockRecord.read(connection, quoteQualified(target.lockTable()));
        if (holder != null) {
            return holder;
        }
        // the lock's own session runs nothing after taking it, so its last statement is about when it was taken
        try (PreparedStatement ps = connection.prepareStatement("SELECT USER, HOST, TIME FROM information_schema.PROCESSLIST WHERE ID = ?")) {
            ps.setLong(1, session);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return LockHolder.unrecorded("MariaDB/MySQL connection " + session, null);
                }
                return LockHolder.unrecorded("MariaDB/MySQL connection " + session + " of " + rs.getString(1) + " from "
                        + rs.getString(2) + ", last statement " + rs.getLong(3) + " s ago", java.time.Instant.now().minusSeconds(rs.getLong(3)));
            }
        }
    }

    /** GET_LOCK names are limited to 64 characters. */
    static String lockName(LockTarget target) {
        String name = "switchback:" + target.schema() + "." + target.table();
        if (name.length() <= 64) {
            return name;
        }
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
            return "switchback:" + HexFormat.of().formatHex(hash, 0, 20);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void prepareSession(Connection connection, Duration statementLockTimeout) throws SQLException {
        long seconds = Math.max(1, (statementLockTimeout.toMillis() + 999) / 1000);
        try (Statement st = connection.createStatement()) {
            st.execute("SET SESSION lock_wait_timeout = " + seconds);
        }
    }

    @Override
    public void resetSession(Connection connection) throws SQLException {
        try (Statement st = connection.createStatement()) {
            st.execute("SET SESSION lock_wait_timeout = DEFAULT");
        }
    }

    @Override
    public boolean isLockTimeout(SQLException e) {
        // ER_LOCK_WAIT_TIMEOUT
        return e.getErrorCode() == 1205;
    }

    @Override
    public boolean isUndefinedTable(SQLException e) {
        return e.getErrorCode() == 1146 || "42S02".equals(e.getSQLState());
    }

    /**
     * The first 64 bits of an MD5 of the row's columns, each length-prefixed (so no two rows run together alike, and
     * null, written "-", is not ""), rank first; as bytes so that text differing only in case never hashes alike.
     */
    @Override
    public String historyRowHash(Connection connection) {
        StringBuilder row = new StringBuilder("CONCAT(installed_rank");
        for (String column : new String[]{"version", "type", "script", "checksum", "state"}) {
            row.append(", ';', COALESCE(CONCAT(CHAR_LENGTH(").append(column).append("), ':', CAST(").append(column)
                    .append(" AS BINARY)), '-')");
        }
        row.append(", ';', statements_done)");
        return "CAST(CONV(LEFT(MD5(" + row + "), 16), 16, 10) AS UNSIGNED)";
    }
}

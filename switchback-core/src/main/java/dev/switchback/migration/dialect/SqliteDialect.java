package dev.switchback.migration.dialect;

import dev.switchback.migration.lock.LeaseLock;
import dev.switchback.migration.lock.LockHolder;
import dev.switchback.migration.lock.LockRecord;
import dev.switchback.migration.lock.MigrationLock;
import dev.switchback.migration.sql.SqlFlavor;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

final class SqliteDialect implements Dialect {

    @Override
    public String name() {
        return "sqlite";
    }

    @Override
    public SqlFlavor flavor() {
        return SqlFlavor.SQLITE;
    }

    @Override
    public boolean transactionalDdl() {
        return true;
    }

    @Override
    public String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    @Override
    public String currentSchema(Connection connection) {
        return "main";
    }

    @Override
    public String textType() {
        return "TEXT";
    }

    @Override
    public String timestampType() {
        return "TEXT";
    }

    @Override
    public String autoIncrementKey() {
        return "INTEGER PRIMARY KEY AUTOINCREMENT";
    }

    @Override
    public void initConnection(Connection connection) throws SQLException {
        try (java.sql.Statement st = connection.createStatement()) {
            st.execute("PRAGMA busy_timeout = 30000");
        }
    }

    @Override
    public MigrationLock lock(Connections connections, LockTarget target, Connection worker) {
        LockRecord record = new LockRecord(quoteQualified(target.lockTable()), System.getProperty("user.name"));
        return new LeaseLock(connections, record, lockTableDdl(target.lockTable()), target.lease());
    }

    @Override
    public LockHolder liveHolder(Connection connection, LockTarget target) throws SQLException {
        LockHolder holder = LockRecord.read(connection, quoteQualified(target.lockTable()));
        if (holder == null || holder.expires() == null || holder.expires().isBefore(Instant.now())) {
            return null;
        }
        return holder;
    }

    @Override
    public boolean isUndefinedTable(SQLException e) {
        return String.valueOf(e.getMessage()).contains("no such table");
    }

    @Override
    public boolean isLockTimeout(SQLException e) {
        String msg = String.valueOf(e.getMessage());
        return msg.contains("SQLITE_BUSY") || "55P03".equals(e.getSQLState());
    }

    // ISO-8601 text, readable from the sqlite3 shell
    @Override
    public void bindTimestamp(PreparedStatement ps, int index, Instant instant) throws SQLException {
        ps.setString(index, instant.toString());
    }

    @Override
    public Instant readTimestamp(ResultSet rs, String column) throws SQLException {
        String s = rs.getString(column);
        return s == null ? null : Instant.parse(s);
    }
}

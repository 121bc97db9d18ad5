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
import java.util.ArrayList;
import java.util.List;
import java.nio.ByteBuffer;

final class PostgresDialect implements Dialect {

    @Override
    public String name() {
        return "postgresql";
    }

    @Override
    public SqlFlavor flavor() {
        return SqlFlavor.POSTGRES;
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
    public String currentSchema(Connection connection) throws SQLException {
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery("SELECT current_schema()")) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Override
    public String textType() {
        return "TEXT";
    }

    @Override
    public String timestampType() {
        return "TIMESTAMPTZ";
    }

    /** As an OffsetDateTime: the driver's Timestamp goes through a Calendar per row (a tenth of a 2,000-row status). */
    @Override
    public java.time.Instant readTimestamp(ResultSet rs, String column) throws SQLException {
        java.time.OffsetDateTime t = rs.getObject(column, java.time.OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    @Override
    public String continueIdsSql(String quotedTable) {
        String literal = "'" + quotedTable.replace("'", "''") + "'";
        return "SELECT setval(pg_get_serial_sequence(" + literal + ", 'id'), COALESCE(MAX(id), 0) + 1, false) FROM " + quotedTable;
    }

    @Override
    public String autoIncrementKey() {
        return "BIGSERIAL PRIMARY KEY";
    }

    @Override
    public DatabaseSessions sessions() {
        return new PostgresSessions();
    }

    @Override
    public MigrationLock lock(Connections connections, LockTarget target, Connection worker) {
        long key = key(target);
        LockRecord record = new LockRecord(quoteQualified(target.lockTable()), System.getProperty("user.name"));
        return new SessionLock(connections, record, lockTableDdl(target.lockTable()), sessions(), worker) {
            @Override
            protected boolean tryLock(Connection c) throws SQLException {
                try (PreparedStatement ps = c.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
                    ps.setLong(1, key);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        return rs.getBoolean(1);
                    }
                }
            }

            @Override
            protected void unlock(Connection c) throws SQLException {
                try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_unlock(?)")) {
                    ps.setLong(1, key);
                    ps.execute();
                }
            }
        };
    }

    @Override
    public LockHolder liveHolder(Connection connection, LockTarget target) throws SQLException {
        long key = key(target);
        // a bigint advisory key shows in pg_locks as classid = high 32 bits, objid = low 32 bits, objsubid = 1
        try (PreparedStatement ps = connection.prepareStatement("SELECT l.pid, a.application_name, a.client_addr::text,"
                + " a.backend_start FROM pg_locks l LEFT JOIN pg_stat_activity a ON a.pid = l.pid WHERE l.locktype = 'advisory'"
                + " AND l.granted AND l.classid = ? AND l.objid = ? AND l.objsubid = 1"
                + " AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())")) {
            ps.setLong(1, key >>> 32);
            ps.setLong(2, key & 0xFFFFFFFFL);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                LockHolder holder = LockRecord.read(connection, quoteQualified(target.lockTable()));
                if (holder != null) {
                    return holder;
                }
                String client = rs.getString(3);
                java.sql.Timestamp start = rs.getTimestamp(4);
                return LockHolder.unrecorded("PostgreSQL backend pid " + rs.getLong(1) + ", application '" + rs.getString(2)
                        + "', client " + (client == null ? "on the local socket" : client), start == null ? null : start.toInstant());
            }
        }
    }

    static long key(LockTarget target) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(("switchback:" + target.schema() + "." + target.table())
                    .getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.wrap(hash).getLong();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void prepareSession(Connection connection, Duration statementLockTimeout) throws SQLException {
        try (Statement st = connection.createStatement()) {
            st.execute("SET lock_timeout = " + statementLockTimeout.toMillis());
            // PostgreSQL 14+: notice a vanished client within a second instead of when its statement ends
            if (connection.getMetaData().getDatabaseMajorVersion() >= 14) {
                st.execute("SET client_connection_check_interval = 1000");
            }
        }
    }

    @Override
    public void resetSession(Connection connection) throws SQLException {
        try (Statement st = connection.createStatement()) {
            st.execute("RESET lock_timeout");
            if (connection.getMetaData().getDatabaseMajorVersion() >= 14) {
                st.execute("RESET client_connection_check_interval");
            }
        }
    }

    @Override
    public boolean isLockTimeout(SQLException e) {
        return "55P03".equals(e.getSQLState());
    }

    @Override
    public boolean hasInvalidIndexes() {
        return true;
    }

    @Override
    public List<InvalidIndex> invalidIndexes(Connection connection, List<String> indexes, List<String> tables) throws SQLException {
        List<InvalidIndex> out = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement("SELECT ic.relname, tc.relname FROM pg_index i"
                + " JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_class tc ON tc.oid = i.indrelid"
                // a partitioned table's own index (relkind I) is invalid by design until every partition has one
                + " WHERE NOT i.indisvalid AND ic.relkind = 'i' AND pg_table_is_visible(ic.oid)"
                + " AND (lower(ic.relname) = ANY (?) OR lower(tc.relname) = ANY (?)) ORDER BY 1")) {
            ps.setArray(1, connection.createArrayOf("text", indexes.toArray()));
            ps.setArray(2, connection.createArrayOf("text", tables.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new InvalidIndex(rs.getString(1), rs.getString(2)));
                }
            }
        }
        return out;
    }

    @Override
    public boolean isUndefinedTable(SQLException e) {
        return "42P01".equals(e.getSQLState());
    }

    /**
     * Built-in 64-bit hashes (PostgreSQL 11 and later), one per column, each seeded by the rank and the column, XORed
     * together; under the "C" collation so that text differing only in case never hashes alike. A null column hashes
     * as U+0001, which no version, checksum or script name contains.
     */
    @Override
    public String historyRowHash(Connection connection) throws SQLException {
        if (connection.getMetaData().getDatabaseMajorVersion() < 11) {
            return null; // no hashtextextended
        }
        String seed = "installed_rank::bigint * 8 + ";
        return "hashtextextended(coalesce(version, E'\\x01') COLLATE \"C\", " + seed + "1)"
                + " # hashtextextended(type COLLATE \"C\", " + seed + "2)"
                + " # hashtextextended(script COLLATE \"C\", " + seed + "3)"
                + " # hashtextextended(coalesce(checksum, E'\\x01') COLLATE \"C\", " + seed + "4)"
                + " # hashtextextended(state COLLATE \"C\", " + seed + "5)"
                + " # hashint8extended(statements_done, " + seed + "6)";
    }
}

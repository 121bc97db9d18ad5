package dev.switchback.migration.history;

import dev.switchback.migration.AppliedMigration;
import dev.switchback.migration.dialect.Dialect;
import dev.switchback.migration.discovery.Checksum;

import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Reads and writes {@code switchback_history}: one row per applied, failed or partial migration. */
public final class HistoryTable {
    private final Dialect dialect;
    private final String table;
    private final String quoted;
    private PreparedStatement insert;
    private Connection insertConnection;

    public HistoryTable(Dialect dialect, String table) {
        this.dialect = dialect;
        this.table = table;
        this.quoted = dialect.quoteQualified(table);
    }

    public String name() {
        return table;
    }

    public void create(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            for (String ddl : dialect.historyTableDdl(table)) {
                st.execute(ddl);
            }
        }
    }

    /**
     * All rows in the order applied, without the stored SQL (kept out of the start-up path).
     *
     * @return the rows, or null when the table does not exist yet
     */
    public List<AppliedMigration> read(Connection c) throws SQLException {
        return rows(c, "SELECT " + ALL_COLUMNS + " FROM " + quoted + " ORDER BY installed_rank", this::fullRow);
    }

    /** The columns {@link #read} reads (the stored SQL left out), in the order {@link #fullRow} takes them. */
    private static final String ALL_COLUMNS = "installed_rank, version, description, type, script, checksum, installed_by,"
            + " installed_on, execution_ms, state, statements_done, backup_id, CASE WHEN down_sql IS NULL THEN 0 ELSE 1 END";

    private AppliedMigration fullRow(ResultSet rs) throws SQLException {
        return new AppliedMigration(rs.getInt(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getString(6), rs.getString(7), dialect.readTimestamp(rs, "installed_on"), rs.getLong(9), rs.getString(10),
                rs.getInt(11), rs.getString(12), rs.getInt(13) == 1);
    }

    /**
     * All rows in the order applied, with only what deciding what to apply needs: rank, version, type, script,
     * checksum, state and statements done (description, installed by/on, time, backup id and hasDown are left empty).
     * The start-up check of a project with thousands of migrations reads this; migrate reads the whole rows again
     * under the lock when it has something to do.
     *
     * @return the rows, or null when the table does not exist yet
     */
    public List<AppliedMigration> readForPlan(Connection c) throws SQLException {
        return rows(c, "SELECT " + PLAN_COLUMNS + " FROM " + quoted + " ORDER BY installed_rank", HistoryTable::planRow);
    }

    /** The columns a plan reads, in the order {@link #planRow} takes them. */
    private static final String PLAN_COLUMNS = "installed_rank, version, type, script, checksum, state, statements_done";

    private static AppliedMigration planRow(ResultSet rs) throws SQLException {
        return new AppliedMigration(rs.getInt(1), rs.getString(2), null, rs.getString(3), rs.getString(4),
                rs.getString(5), null, null, 0, rs.getString(6), rs.getInt(7), null, false);
    }

    /** History rows, and a fingerprint of their plan columns read with them (see {@link #fingerprint}), or null when not asked for. */
    public record PlanRows(List<AppliedMigration> rows, String fingerprint) {
    }

    /**
     * {@link #readForPlan} with a fingerprint of the rows read, taken from the same rows: by the server's row hash
     * summed here when the dialect has one, else a SHA-256 of the columns computed here.
     *
     * @return the rows and their fingerprint, or null when the table does not exist yet
     */
    public PlanRows readForPlanFingerprinted(Connection c) throws SQLException {
        return fingerprinted(c, PLAN_COLUMNS, 8, HistoryTable::planRow);
    }

    /**
     * {@link #read} (every column status shows) with the fingerprint of the same rows' plan columns, in one query:
     * what a status, or a migrate that prints one, compares with the up-to-date snapshot.
     *
     * @return the rows and their fingerprint, or null when the table does not exist yet
     */
    public PlanRows readFingerprinted(Connection c) throws SQLException {
        return fingerprinted(c, ALL_COLUMNS, 14, this::fullRow);
    }

    /** The rows of {@code columns} and the server's row hash (at {@code hashColumn}) summed, or digested here. */
    private PlanRows fingerprinted(Connection c, String columns, int hashColumn, RowReader reader) throws SQLException {
        String hash = dialect.historyRowHash(c);
        if (hash != null) {
            BigInteger[] sum = {BigInteger.ZERO};
            try {
                List<AppliedMigration> rows = rows(c, "SELECT " + columns + ", " + hash + " FROM " + quoted
                        + " ORDER BY installed_rank", rs -> {
                    java.math.BigDecimal h = rs.getBigDecimal(hashColumn);
                    if (h == null) {
                        throw new SQLException("the server's row hash is null (MD5 disabled?)");
                    }
                    sum[0] = sum[0].add(h.toBigIntegerExact());
                    return reader.read(rs);
                });
                return rows == null ? null : new PlanRows(rows, summed(rows.size(), sum[0]));
            } catch (SQLException | ArithmeticException e) {
                // a server that cannot compute the hash after all: the rows alone, digested here (a "sha256 "
                // fingerprint never equals the server's "rows " one, so the fast check just reads the rows)
                if (!c.getAutoCommit()) {
                    c.rollback();
                }
            }
        }
        List<AppliedMigration> rows = rows(c, "SELECT " + columns + " FROM " + quoted + " ORDER BY installed_rank", reader);
        return rows == null ? null : new PlanRows(rows, digest(rows));
    }

    /**
     * What the history's plan columns hash to, computed by the server in one small answer: the row count and the sum
     * of {@link Dialect#historyRowHash} over the rows. Equal to the fingerprint {@link #readForPlanFingerprinted}
     * gives for the same rows. A change to any column the plan reads, an added or a removed row changes it.
     *
     * @return the fingerprint, or null when the dialect has no row hash or the table does not exist yet
     */
    public String fingerprint(Connection c) throws SQLException {
        String hash = dialect.historyRowHash(c);
        if (hash == null) {
            return null;
        }
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT COUNT(*), SUM(" + hash + ") FROM " + quoted)) {
            rs.next();
            java.math.BigDecimal sum = rs.getBigDecimal(2);
            return summed(rs.getInt(1), sum == null ? BigInteger.ZERO : sum.toBigIntegerExact());
        } catch (SQLException e) {
            if (missingTable(c, e)) {
                return null;
            }
            throw e;
        }
    }

    /**
     * The fingerprint of the plan columns by whichever way this server allows: its row hash, else a digest of the rows
     * read here. Null when the table does not exist yet. The same rows give the same answer on the same server.
     */
    public String planFingerprint(Connection c) throws SQLException {
        String byServer = fingerprint(c);
        if (byServer != null) {
            return byServer;
        }
        List<AppliedMigration> rows = readForPlan(c);
        return rows == null ? null : digest(rows);
    }

    /** The backup ids the rows point to (none when the table does not exist yet). */
    public java.util.Set<String> backupIds(Connection c) throws SQLException {
        java.util.Set<String> ids = new java.util.TreeSet<>();
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT DISTINCT backup_id FROM " + quoted + " WHERE backup_id IS NOT NULL")) {
            while (rs.next()) {
                ids.add(rs.getString(1));
            }
        } catch (SQLException e) {
            if (!missingTable(c, e)) {
                throw e;
            }
        }
        return ids;
    }

    private static String summed(int rows, BigInteger sum) {
        return "rows " + rows + " sum " + sum;
    }

    /** SHA-256 of every column the plan reads, row by row, for a server without a row hash. */
    static String digest(List<AppliedMigration> rows) {
        StringBuilder b = new StringBuilder(rows.size() * 128);
        for (AppliedMigration r : rows) {
            b.append(r.rank()).append(';');
            field(b, r.version());
            field(b, r.type());
            field(b, r.script());
            field(b, r.checksum());
            field(b, r.state());
            b.append(r.statementsDone()).append('\n');
        }
        return "sha256 " + Checksum.sha256(b.toString());
    }

    /** A length-prefixed field: no two rows run together the same way, and null is not "". */
    private static void field(StringBuilder b, String s) {
        if (s == null) {
            b.append("-;");
        } else {
            b.append(s.length()).append(':').append(s).append(';');
        }
    }

    /** One history row made from the current row of a result set. */
    private interface RowReader {
        AppliedMigration read(ResultSet rs) throws SQLException;
    }

    /** The rows a query returns, or null when the table does not exist yet (a transaction it broke is rolled back). */
    private List<AppliedMigration> rows(Connection c, String sql, RowReader reader) throws SQLException {
        List<AppliedMigration> rows = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                rows.add(reader.read(rs));
            }
        } catch (SQLException e) {
            if (missingTable(c, e)) {
                return null;
            }
            throw e;
        }
        return rows;
    }

    /** Whether the error says the table does not exist yet; if so, a transaction it broke is rolled back. */
    private boolean missingTable(Connection c, SQLException e) throws SQLException {
        if (!dialect.isUndefinedTable(e)) {
            return false;
        }
        if (!c.getAutoCommit()) {
            c.rollback();
        }
        return true;
    }

    /** Every row's script, state, type and stored up SQL in the order applied, in one query (the schema replay's input). */
    public List<String[]> scriptsInOrder(Connection c) throws SQLException {
        List<String[]> rows = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT script, state, type, up_sql FROM " + quoted
                + " ORDER BY installed_rank")) {
            while (rs.next()) {
                rows.add(new String[]{rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)});
            }
        }
        return rows;
    }

    /** The stored up and down SQL of one row: {@code [up, down]}, either may be null. */
    public String[] sqlOf(Connection c, int rank) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT up_sql, down_sql FROM " + quoted + " WHERE installed_rank = ?")) {
            ps.setInt(1, rank);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new String[]{rs.getString(1), rs.getString(2)} : new String[2];
            }
        }
    }

    public int nextRank(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT MAX(installed_rank) FROM " + quoted)) {
            rs.next();
            return rs.getInt(1) + 1;
        }
    }

    /** A new row; {@code upSql}/{@code downSql} may be null (baseline). */
    public void insert(Connection c, HistoryRow row) throws SQLException {
        insert(c, row, now());
    }

    /** A new row recorded as installed at {@code installedOn} (an imported row keeps the other tool's time). */
    public void insert(Connection c, HistoryRow row, Instant installedOn) throws SQLException {
        PreparedStatement ps = insertStatement(c);
        bind(ps, row, installedOn);
        ps.executeUpdate();
    }

    /** A row and when it was installed, for {@link #insertAll}. */
    public record Installed(HistoryRow row, Instant on) {
    }

    /**
     * New rows in one batch: the driver sends them together instead of one round trip each (a group of 2,000
     * migrations inserts its 2,000 rows at its end).
     */
    public void insertAll(Connection c, List<Installed> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        PreparedStatement ps = insertStatement(c);
        for (Installed r : rows) {
            bind(ps, r.row(), r.on());
            ps.addBatch();
        }
        ps.executeBatch();
    }

    /** The time a row is recorded as installed now: to the millisecond, as every dialect keeps it. */
    public static Instant now() {
        return Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
    }

    private void bind(PreparedStatement ps, HistoryRow row, Instant installedOn) throws SQLException {
        ps.setInt(1, row.rank());
        ps.setString(2, row.version());
        ps.setString(3, truncate(row.description(), 200));
        ps.setString(4, row.type());
        ps.setString(5, truncate(row.script(), 1000));
        ps.setString(6, row.checksum());
        setText(ps, 7, row.upSql());
        setText(ps, 8, row.downSql());
        ps.setString(9, truncate(row.installedBy(), 100));
        dialect.bindTimestamp(ps, 10, installedOn);
        ps.setLong(11, row.executionMs());
        ps.setString(12, row.state());
        ps.setInt(13, row.statementsDone());
        ps.setString(14, row.backupId());
    }

    /**
     * The insert, prepared once per connection: a run inserts a row per migration, and a statement used again is
     * parsed and planned once by the server (the driver's own threshold). It is closed with its connection.
     */
    private PreparedStatement insertStatement(Connection c) throws SQLException {
        PreparedStatement ps = insert;
        if (ps == null || insertConnection != c || ps.isClosed()) {
            if (ps != null && !ps.isClosed()) {
                ps.close();
            }
            ps = c.prepareStatement("INSERT INTO " + quoted + " (installed_rank, version, description, type,"
                    + " script, checksum, up_sql, down_sql, installed_by, installed_on, execution_ms, state, statements_done, backup_id)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
            insert = ps;
            insertConnection = c;
        }
        return ps;
    }

    public void updateProgress(Connection c, int rank, String state, int statementsDone, long executionMs) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + quoted
                + " SET state = ?, statements_done = ?, execution_ms = ? WHERE installed_rank = ?")) {
            ps.setString(1, state);
            ps.setInt(2, statementsDone);
            ps.setLong(3, executionMs);
            ps.setInt(4, rank);
            ps.executeUpdate();
        }
    }

    /** Re-records the script of an applied row (repair, or a resumed partial migration). */
    public void updateScript(Connection c, int rank, String checksum, String upSql, String downSql) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + quoted
                + " SET checksum = ?, up_sql = ?, down_sql = COALESCE(?, down_sql) WHERE installed_rank = ?")) {
            ps.setString(1, checksum);
            setText(ps, 2, upSql);
            setText(ps, 3, downSql);
            ps.setInt(4, rank);
            ps.executeUpdate();
        }
    }

    public void delete(Connection c, int rank) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + quoted + " WHERE installed_rank = ?")) {
            ps.setInt(1, rank);
            ps.executeUpdate();
        }
    }

    private static void setText(PreparedStatement ps, int index, String value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.VARCHAR);
        } else {
            ps.setString(index, value);
        }
    }

    private static String truncate(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }
}

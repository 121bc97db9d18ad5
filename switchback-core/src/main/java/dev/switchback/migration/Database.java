package dev.switchback.migration;

import dev.switchback.migration.dialect.BlockingSocketFactory;
import dev.switchback.migration.dialect.Connections;
import dev.switchback.migration.dialect.Dialect;
import dev.switchback.migration.dialect.Dialects;
import dev.switchback.migration.dialect.LockTarget;
import dev.switchback.migration.history.AuditLog;
import dev.switchback.migration.history.HistoryTable;
import dev.switchback.migration.lock.MigrationLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * One command's connection to the database: the dialect, our tables, and connections opened with
 * retries while the database is unreachable.
 */
final class Database implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Database.class);
    final MigrationConfig config;
    final Dialect dialect;
    final HistoryTable history;
    final AuditLog audit;
    final Connection connection;
    private final Connections connections;
    private LockTarget lockTarget;

    private Database(MigrationConfig config, Dialect dialect, Connections connections, Connection connection) {
        this.config = config;
        this.dialect = dialect;
        this.connections = connections;
        this.connection = connection;
        this.history = new HistoryTable(dialect, config.table());
        this.audit = new AuditLog(dialect, config.logTable());
    }

    /** What the lock protects; asks for the current schema only when a lock is needed (not on the start-up fast path). */
    LockTarget lockTarget() throws SQLException {
        if (lockTarget == null) {
            lockTarget = new LockTarget(dialect.currentSchema(connection), config.table(), config.lockTable(), config.lockLease());
        }
        return lockTarget;
    }

    static Database open(MigrationConfig config) {
        Dialect urlDialect = config.dataSource() == null ? Dialects.forUrl(config.url()) : null;
        createSqliteFolder(config);
        Connections raw = rawConnections(config);
        Connection first = connectWithRetries(config, raw);
        try {
            Dialect dialect = urlDialect != null ? urlDialect
                    : Dialects.forProduct(first.getMetaData().getDatabaseProductName(), first.getMetaData().getURL());
            Connections prepared = () -> {
                Connection c = raw.open();
                dialect.initConnection(c);
                return c;
            };
            dialect.initConnection(first);
            first.setAutoCommit(true);
            return new Database(config, dialect, prepared, first);
        } catch (SQLException e) {
            closeQuietly(first);
            throw new SwitchbackException(ErrorCode.FAILED, "Cannot prepare the connection to " + config.maskedUrl() + ": "
                    + e.getMessage(), e);
        }
    }

    /** Whether the database is a SQLite file that does not exist yet (read-only commands must not create it). */
    static boolean isMissingSqliteFile(MigrationConfig config) {
        Path file = sqliteFile(config);
        return file != null && !Files.exists(file);
    }

    /** The SQLite database file named by the URL, or null for other databases and in-memory ones. */
    static Path sqliteFile(MigrationConfig config) {
        return config.dataSource() != null ? null : SqliteUrl.file(config.url());
    }

    private static void createSqliteFolder(MigrationConfig config) {
        Path file = sqliteFile(config);
        Path parent = file == null ? null : file.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            try {
                Files.createDirectories(parent);
            } catch (java.io.IOException e) {
                throw new SwitchbackException(ErrorCode.FAILED, "Cannot create the folder " + parent + " for the SQLite database: "
                        + e.getMessage(), e);
            }
        }
    }

    /** Only a database that may come back is worth waiting for: not a bad password, a missing database or a file. */
    static boolean isTransient(SQLException e) {
        if (String.valueOf(e.getMessage()).startsWith("No suitable driver")) {
            return false;
        }
        String state = e.getSQLState();
        if (state != null && state.startsWith("08")) {
            return true;
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.net.ConnectException || t instanceof java.net.SocketTimeoutException
                    || t instanceof java.net.NoRouteToHostException || t instanceof java.io.EOFException) {
                return true;
            }
        }
        return false;
    }

    private static Connections rawConnections(MigrationConfig config) {
        if (config.dataSource() != null) {
            return () -> config.dataSource().getConnection();
        }
        Properties props = new Properties();
        String url = mysqlViaMariaDb(config.url());
        if (config.user() != null) {
            props.setProperty("user", config.user());
        }
        if (config.password() != null) {
            props.setProperty("password", config.password());
        }
        if (url.regionMatches(true, 0, "jdbc:postgresql:", 0, 16)) {
            // application_name goes in the start-up message instead of a SET after it: one round trip less per
            // connection (the driver assumes a server older than 9.0 otherwise). A value in the URL still wins
            props.setProperty("assumeMinServerVersion", "9.0");
            if (BlockingSocketFactory.suits(url)) {
                // a read waits in the kernel instead of failing and polling first: two system calls less per round
                // trip. A socketFactory in the URL (a cloud provider's, say) still wins
                props.setProperty("socketFactory", BlockingSocketFactory.class.getName());
            }
        }
        Driver driver = ownDriver(url);
        return () -> {
            Connection c = driver == null ? null : driver.connect(url, props);
            return c != null ? c : DriverManager.getConnection(url, props);
        };
    }

    /**
     * The driver of the URL's dialect, asked directly: DriverManager first loads and starts every driver on the class
     * path (for a CLI command, the other two cost about 40 ms). Null when it is not on this class path, or for
     * jdbc:mysql:, which the first driver that accepts it serves (MariaDB's or MySQL's own); DriverManager then decides.
     */
    private static Driver ownDriver(String url) {
        String name = url.regionMatches(true, 0, "jdbc:postgresql:", 0, 16) ? "org.postgresql.Driver"
                : url.regionMatches(true, 0, "jdbc:mariadb:", 0, 13) ? "org.mariadb.jdbc.Driver"
                : url.regionMatches(true, 0, "jdbc:sqlite:", 0, 12) ? "org.sqlite.JDBC" : null;
        if (name == null) {
            return null;
        }
        try {
            return (Driver) Class.forName(name, true, Database.class.getClassLoader()).getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError | ClassCastException e) {
            return null;
        }
    }

    /** The MariaDB driver serves jdbc:mysql: URLs only when the URL says permitMysqlScheme; MySQL's own driver ignores it. */
    static String mysqlViaMariaDb(String url) {
        if (!url.regionMatches(true, 0, "jdbc:mysql:", 0, 11) || url.contains("permitMysqlScheme")) {
            return url;
        }
        return url + (url.contains("?") ? "&" : "?") + "permitMysqlScheme";
    }

    private static Connection connectWithRetries(MigrationConfig config, Connections raw) {
        Secrets secrets = Secrets.of(config.url(), config.password());
        long delay = Math.max(1, config.retryDelay().toMillis());
        SQLException last = null;
        int attempts = 0;
        for (int attempt = 0; attempt <= config.maxRetries(); attempt++) {
            attempts++;
            try {
                return raw.open();
            } catch (SQLException e) {
                last = e;
                if (!isTransient(e)) {
                    break;
                }
                if (attempt < config.maxRetries()) {
                    log.warn("Cannot connect to {} ({}); retry {} of {} in {} ms", config.maskedUrl(), secrets.redact(oneLine(e)),
                            attempt + 1, config.maxRetries(), delay);
                    sleep(delay);
                    delay *= 2;
                }
            }
        }
        throw new SwitchbackException(ErrorCode.FAILED, "Cannot connect to " + config.maskedUrl() + " after "
                + attempts + " attempt(s): " + secrets.redact(oneLine(last))
                + (last.getSQLState() == null ? "" : " (SQLSTATE " + last.getSQLState() + ")")
                + ". Check that the database is running and that database.url, user and password are right.");
    }

    /**
     * A second connection to the same database, prepared as the first, with a single attempt (a database that was
     * reached a moment ago is not waited for again); the caller closes it.
     */
    Database sibling() throws SQLException {
        Connection c = connections.open();
        try {
            c.setAutoCommit(true);
        } catch (SQLException e) {
            closeQuietly(c);
            throw e;
        }
        return new Database(config, dialect, connections, c);
    }

    Connection openExtra() throws SQLException {
        return connections.open();
    }

    MigrationLock newLock() {
        try {
            return dialect.lock(connections, lockTarget(), connection);
        } catch (SQLException e) {
            throw new SwitchbackException(ErrorCode.FAILED, "Cannot read the current schema: " + e.getMessage(), e);
        }
    }

    /** Creates the history and log tables (under the lock, so concurrent first runs do not race). */
    void createTables() throws SQLException {
        history.create(connection);
        audit.create(connection);
    }

    void audit(String action, String versions, String outcome, String detail) {
        try {
            connection.setAutoCommit(true);
            audit.create(connection);
            audit.append(connection, action, config.installedBy(), versions, outcome, detail);
        } catch (SQLException e) {
            log.warn("Could not write to {}: {}", config.logTable(), e.getMessage());
        }
    }

    static String oneLine(Throwable e) {
        if (e == null) {
            return "unknown error";
        }
        String msg = String.valueOf(e.getMessage()).replaceAll("\\s+", " ").strip();
        return msg.length() > 400 ? msg.substring(0, 400) + "..." : msg;
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SwitchbackException(ErrorCode.FAILED, "Interrupted");
        }
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // already failing
        }
    }

    @Override
    public void close() {
        closeQuietly(connection);
    }
}

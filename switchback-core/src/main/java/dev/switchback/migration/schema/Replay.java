package dev.switchback.migration.schema;

import dev.switchback.migration.ErrorCode;
import dev.switchback.migration.SwitchbackException;
import dev.switchback.migration.sql.SqlFlavor;
import dev.switchback.migration.sql.SqlSplitter;
import dev.switchback.migration.sql.SqlStatement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;

/**
 * The schema the applied migrations produce: their stored up SQL applied in order to a fresh {@code switchback_tmp_*}
 * database beside the live one (SQLite: in memory), inspected, and dropped afterwards, also when a script fails.
 */
public final class Replay {
    private static final Logger log = LoggerFactory.getLogger(Replay.class);

    /** An applied migration: its script name and the up SQL stored when it ran. */
    public record Script(String script, String upSql) {
    }

    private Replay() {
    }

    /**
     * @param live       a connection to the live database (autocommit), from which the scratch database is created and dropped
     * @param url        the live database's JDBC URL; the scratch database is reached by the same URL with its name
     * @param properties user and password for that URL
     */
    public static Schema expected(String dialect, Connection live, String url, Properties properties, SqlFlavor flavor,
                                  List<Script> scripts, Set<String> excludedTables) {
        SchemaInspector inspector = SchemaInspector.forDialect(dialect);
        if (dialect.equals("sqlite")) {
            try (Connection scratch = DriverManager.getConnection("jdbc:sqlite::memory:")) {
                apply(scratch, "an in-memory SQLite database", flavor, scripts);
                return inspector.inspect(scratch, excludedTables);
            } catch (SQLException e) {
                throw cannot("open an in-memory SQLite database", e);
            }
        }
        String name = "switchback_tmp_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        long started = System.nanoTime();
        create(dialect, live, name);
        try (Connection scratch = DriverManager.getConnection(url.replaceFirst("^(jdbc:[a-z]+://[^/?]*/)[^?]*", "$1" + name), properties)) {
            scratch.setAutoCommit(true);
            if (dialect.equals("postgresql")) {
                // a database dropped in a moment needs no wait for the disk at each statement's commit
                try (Statement st = scratch.createStatement()) {
                    st.execute("SET synchronous_commit = off");
                }
            }
            long created = System.nanoTime();
            apply(scratch, "the scratch database " + name, flavor, scripts);
            long applied = System.nanoTime();
            Schema schema = inspector.inspect(scratch, excludedTables);
            log.debug("Schema replay: {} created in {} ms, {} migration(s) applied in {} ms, inspected in {} ms", name,
                    (created - started) / 1_000_000, scripts.size(), (applied - created) / 1_000_000, (System.nanoTime() - applied) / 1_000_000);
            return schema;
        } catch (SQLException e) {
            throw cannot("connect to the scratch database " + name, e);
        } finally {
            drop(dialect, live, name);
        }
    }

    private static void create(String dialect, Connection live, String name) {
        try (Statement st = live.createStatement()) {
            if (dialect.equals("postgresql")) {
                st.execute("CREATE DATABASE " + name);
                return;
            }
            // the same defaults as the live database, so that tables' collations compare equal
            String charset;
            String collation;
            try (ResultSet rs = st.executeQuery("SELECT default_character_set_name, default_collation_name FROM "
                    + "information_schema.schemata WHERE schema_name = DATABASE()")) {
                rs.next();
                charset = rs.getString(1);
                collation = rs.getString(2);
            }
            st.execute("CREATE DATABASE " + name + " CHARACTER SET " + charset + " COLLATE " + collation);
        } catch (SQLException e) {
            throw new SwitchbackException(ErrorCode.FAILED, "Cannot create the scratch database " + name + " to replay the applied "
                    + "migrations in: " + e.getMessage() + ". The schema check needs a user that may create databases "
                    + "(PostgreSQL CREATEDB, MariaDB CREATE).", e);
        }
    }

    private static void drop(String dialect, Connection live, String name) {
        String sql = "DROP DATABASE IF EXISTS " + name + (dialect.equals("postgresql") ? " WITH (FORCE)" : "");
        long started = System.nanoTime();
        try (Statement st = live.createStatement()) {
            st.execute(sql);
            log.debug("Schema replay: {} dropped in {} ms", name, (System.nanoTime() - started) / 1_000_000);
        } catch (SQLException e) {
            log.warn("Could not drop the scratch database {}: {}. Drop it with: {};", name, e.getMessage(), sql);
        }
    }

    private static void apply(Connection scratch, String where, SqlFlavor flavor, List<Script> scripts) {
        try (Statement st = scratch.createStatement()) {
            for (Script s : scripts) {
                List<SqlStatement> statements = SqlSplitter.split(s.upSql(), flavor, s.script());
                for (int i = 0; i < statements.size(); i++) {
                    SqlStatement stmt = statements.get(i);
                    try {
                        st.execute(stmt.sql());
                    } catch (SQLException e) {
                        throw new SwitchbackException(ErrorCode.FAILED, "Cannot replay " + s.script() + ":" + stmt.line() + ", statement "
                                + (i + 1) + " (" + stmt.abbreviated(80) + ") in " + where + ": " + e.getMessage()
                                + ". The expected schema is made by applying every migration's stored SQL to an empty database; "
                                + "a migration that needs something outside them (a role, an extension's files) cannot be replayed.", e);
                    }
                }
            }
        } catch (SQLException e) {
            throw cannot("use " + where, e);
        }
    }

    private static SwitchbackException cannot(String what, SQLException e) {
        return new SwitchbackException(ErrorCode.FAILED, "Cannot " + what + " for the schema check: " + e.getMessage(), e);
    }
}

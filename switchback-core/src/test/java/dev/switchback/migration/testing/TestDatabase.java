package dev.switchback.migration.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/** A uniquely named database on one of the real servers (or a SQLite file), dropped by {@link #close()}. */
public abstract class TestDatabase implements AutoCloseable {
    public static final String PG_ADMIN = "jdbc:postgresql://127.0.0.1:5432/postgres";
    public static final String MARIADB_ADMIN = "jdbc:mariadb://127.0.0.1:3306/";

    public abstract String kind();

    public abstract String url();

    public abstract String user();

    public String password() {
        return "";
    }

    /** A statement that takes as many seconds as {@code slow_control.n} says (for crash and lock tests). */
    public abstract String slowStatement();

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(url(), user(), password());
    }

    public void execute(String sql) throws SQLException {
        try (Connection c = connect(); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    public long count(String sql) throws SQLException {
        try (Connection c = connect(); Statement st = c.createStatement(); var rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    public boolean tableExists(String table) throws SQLException {
        try (Connection c = connect(); var rs = c.getMetaData().getTables(c.getCatalog(), null, table, null)) {
            while (rs.next()) {
                if (rs.getString("TABLE_NAME").equalsIgnoreCase(table)) {
                    return true;
                }
            }
            return false;
        }
    }

    @Override
    public abstract void close();

    static String uniqueName() {
        return "sb_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    }

    public static TestDatabase postgres() {
        String name = uniqueName();
        admin(PG_ADMIN, "postgres", "CREATE DATABASE " + name);
        return new TestDatabase() {
            public String kind() {
                return "postgresql";
            }

            public String url() {
                return "jdbc:postgresql://127.0.0.1:5432/" + name;
            }

            public String user() {
                return "postgres";
            }

            public String slowStatement() {
                return "SELECT pg_sleep((SELECT n FROM slow_control))";
            }

            public void close() {
                admin(PG_ADMIN, "postgres", "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            }
        };
    }

    public static TestDatabase mariadb() {
        String name = uniqueName();
        admin(MARIADB_ADMIN, "root", "CREATE DATABASE " + name);
        return new TestDatabase() {
            public String kind() {
                return "mariadb";
            }

            public String url() {
                return "jdbc:mariadb://127.0.0.1:3306/" + name;
            }

            public String user() {
                return "root";
            }

            public String slowStatement() {
                return "SELECT SLEEP((SELECT n FROM slow_control))";
            }

            public void close() {
                admin(MARIADB_ADMIN, "root", "DROP DATABASE IF EXISTS " + name);
            }
        };
    }

    public static TestDatabase sqlite(Path dir) {
        Path file = dir.resolve(uniqueName() + ".db");
        return new TestDatabase() {
            public String kind() {
                return "sqlite";
            }

            public String url() {
                return "jdbc:sqlite:" + file;
            }

            public String user() {
                return null;
            }

            public String password() {
                return null;
            }

            public Connection connect() throws SQLException {
                Connection c = DriverManager.getConnection(url());
                try (Statement st = c.createStatement()) {
                    st.execute("PRAGMA busy_timeout = 30000");
                }
                return c;
            }

            // about n seconds of work: SQLite has no sleep function
            public String slowStatement() {
                return "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < (SELECT n FROM slow_control) * 3000000)"
                        + " SELECT count(*) FROM c";
            }

            public void close() {
                for (String suffix : new String[]{"", "-journal", "-wal", "-shm"}) {
                    try {
                        Files.deleteIfExists(Path.of(file + suffix));
                    } catch (java.io.IOException ignored) {
                        // the temp dir goes too
                    }
                }
            }
        };
    }

    private static void admin(String url, String user, String sql) {
        try (Connection c = DriverManager.getConnection(url, user, ""); Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot run '" + sql + "' on " + url + ": " + e.getMessage()
                    + " (is the server running? scripts/test starts it)", e);
        }
    }
}

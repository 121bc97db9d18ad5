package dev.switchback.cli;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.UUID;

/**
 * A uniquely named database on the real servers (PostgreSQL 15 at 127.0.0.1:5432, MariaDB at 127.0.0.1:3306)
 * or a SQLite file in a temp folder; {@link #close()} drops it. The tests look at it over JDBC, never through Switchback.
 */
abstract class TestDb implements AutoCloseable {
    static final String PG_ADMIN = "jdbc:postgresql://127.0.0.1:5432/postgres";
    static final String MARIADB_ADMIN = "jdbc:mariadb://127.0.0.1:3306/";

    enum Kind { POSTGRES, MARIADB, SQLITE }

    final Kind kind;

    private TestDb(Kind kind) {
        this.kind = kind;
    }

    abstract String url();

    /** Null for SQLite. */
    abstract String user();

    abstract String password();

    /** The connection flags for the CLI. */
    List<String> args() {
        List<String> a = new ArrayList<>(List.of("--url", url()));
        if (user() != null) {
            a.add("--user");
            a.add(user());
        }
        return a;
    }

    Connection connect() throws SQLException {
        return user() == null ? DriverManager.getConnection(url()) : DriverManager.getConnection(url(), user(), password());
    }

    /** Tables and views, lower case. */
    abstract TreeSet<String> tables();

    long count(String sql) {
        try (Connection c = connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    String string(String sql) {
        try (Connection c = connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    void execute(String sql) {
        try (Connection c = connect(); Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    TreeSet<String> query(String sql) {
        TreeSet<String> out = new TreeSet<>();
        try (Connection c = connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1).toLowerCase(Locale.ROOT));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
        return out;
    }

    @Override
    public abstract void close();

    @Override
    public String toString() {
        return kind.toString().toLowerCase(Locale.ROOT);
    }

    static TestDb create(Kind kind, Path tempDir) {
        return switch (kind) {
            case POSTGRES -> postgres();
            case MARIADB -> mariadb();
            case SQLITE -> sqlite(tempDir.resolve("db").resolve("test.db"));
        };
    }

    static String uniqueName() {
        return "sbcli_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    }

    static TestDb postgres() {
        String name = uniqueName();
        admin(PG_ADMIN, "postgres", "CREATE DATABASE " + name);
        return new TestDb(Kind.POSTGRES) {
            String url() {
                return "jdbc:postgresql://127.0.0.1:5432/" + name;
            }

            String user() {
                return "postgres";
            }

            String password() {
                return "";
            }

            TreeSet<String> tables() {
                return query("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'");
            }

            public void close() {
                admin(PG_ADMIN, "postgres", "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            }
        };
    }

    static TestDb mariadb() {
        String name = uniqueName();
        admin(MARIADB_ADMIN, "root", "CREATE DATABASE " + name);
        return new TestDb(Kind.MARIADB) {
            String url() {
                return "jdbc:mariadb://127.0.0.1:3306/" + name;
            }

            String user() {
                return "root";
            }

            String password() {
                return "";
            }

            TreeSet<String> tables() {
                return query("SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE()");
            }

            public void close() {
                admin(MARIADB_ADMIN, "root", "DROP DATABASE IF EXISTS " + name);
            }
        };
    }

    /** A SQLite file that does not exist yet; its folder is created by Switchback when it migrates. */
    static TestDb sqlite(Path file) {
        return new TestDb(Kind.SQLITE) {
            String url() {
                return "jdbc:sqlite:" + file;
            }

            String user() {
                return null;
            }

            String password() {
                return null;
            }

            TreeSet<String> tables() {
                if (!java.nio.file.Files.exists(file)) {
                    return new TreeSet<>();
                }
                return query("SELECT name FROM sqlite_master WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%'");
            }

            public void close() {
                // the @TempDir goes with the test
            }
        };
    }

    private static void admin(String url, String user, String sql) {
        try (Connection c = DriverManager.getConnection(url, user, ""); Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot run '" + sql + "' on " + url + ": " + e.getMessage()
                    + " (PostgreSQL must listen on 127.0.0.1:5432 and MariaDB on 127.0.0.1:3306)", e);
        }
    }
}

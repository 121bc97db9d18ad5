package dev.switchback.migration.lint;

import dev.switchback.migration.ErrorCode;
import dev.switchback.migration.SwitchbackException;
import dev.switchback.migration.dialect.Dialects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

/**
 * The database a MariaDB rehearsal runs in: a fresh one beside the target holding the structure of the target's tables
 * (SHOW CREATE TABLE, no rows; views, triggers and routines are not copied), dropped by {@link #close()}; or one the user
 * names, left alone.
 */
final class MariaDbScratch implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MariaDbScratch.class);
    final String url;
    final String name;
    private final String user;
    private final String password;
    /** The target's URL, to drop the scratch database from; null when the user gave it (we never drop that). */
    private final String admin;
    private boolean dropped;

    private MariaDbScratch(String url, String name, String user, String password, String admin) {
        this.url = url;
        this.name = name;
        this.user = user;
        this.password = password;
        this.admin = admin;
    }

    static MariaDbScratch given(String url, String user, String password) {
        return new MariaDbScratch(url, database(url), user, password, null);
    }

    /** Creates {@code switchback_rehearsal_<random>} beside the target and copies the structure of its tables into it. */
    static MariaDbScratch copyOf(String targetUrl, String user, String password) {
        String name = "switchback_rehearsal_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = connect(targetUrl, user, password); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new SwitchbackException(ErrorCode.FAILED, "Cannot create the scratch database " + name + " beside "
                    + Dialects.mask(targetUrl) + ": " + e.getMessage() + ". The user needs the CREATE privilege, or pass "
                    + "--scratch-url with a database that has the target's tables.", e);
        }
        MariaDbScratch scratch = new MariaDbScratch(targetUrl.replaceFirst("^(jdbc:[a-z]+://[^/?]*/)[^?]*", "$1" + name), name,
                user, password, targetUrl);
        try {
            scratch.copyTables(targetUrl);
            return scratch;
        } catch (SQLException | RuntimeException e) {
            scratch.close();
            throw new SwitchbackException(ErrorCode.FAILED, "Cannot copy the tables of " + Dialects.mask(targetUrl) + " into "
                    + name + ": " + e.getMessage(), e);
        }
    }

    private void copyTables(String targetUrl) throws SQLException {
        try (Connection source = connect(targetUrl, user, password); Statement from = source.createStatement();
             Connection dest = connect(); Statement to = dest.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = from.executeQuery("SELECT table_name FROM information_schema.tables "
                    + "WHERE table_schema = DATABASE() AND table_type = 'BASE TABLE'")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            // tables come in any order: a foreign key may name one not created yet
            to.execute("SET FOREIGN_KEY_CHECKS = 0");
            for (String t : tables) {
                try (ResultSet rs = from.executeQuery("SHOW CREATE TABLE `" + t.replace("`", "``") + "`")) {
                    rs.next();
                    to.execute(rs.getString(2));
                }
            }
        }
    }

    private static String database(String url) {
        String path = url.replaceFirst("^jdbc:[a-z]+://[^/?]*/?", "");
        int q = path.indexOf('?');
        return q < 0 ? path : path.substring(0, q);
    }

    Connection connect() throws SQLException {
        return connect(url, user, password);
    }

    private static Connection connect(String url, String user, String password) throws SQLException {
        Properties p = new Properties();
        if (user != null) {
            p.setProperty("user", user);
        }
        if (password != null) {
            p.setProperty("password", password);
        }
        return DriverManager.getConnection(url, p);
    }

    boolean dropped() {
        return dropped;
    }

    @Override
    public void close() {
        if (admin == null || dropped) {
            return;
        }
        try (Connection c = connect(admin, user, password); Statement st = c.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + name);
            dropped = true;
        } catch (SQLException e) {
            log.warn("Could not drop the scratch database {}: {}. Drop it with: DROP DATABASE {};", name, e.getMessage(), name);
        }
    }

    @Override
    public String toString() {
        return Dialects.mask(url).replaceFirst("^jdbc:", "").replaceFirst("\\?.*", "");
    }
}

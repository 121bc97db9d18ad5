package dev.switchback.migration.lint;

import dev.switchback.migration.ErrorCode;
import dev.switchback.migration.SwitchbackException;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/**
 * Where a PostgreSQL JDBC URL points, for pg_dump and psql and for opening other databases on the same server.
 * (The backup module reads URLs the same way; core cannot depend on it.)
 */
record PgServer(String host, int port, String database, String user, String password, String query) {

    static PgServer parse(String url, String user, String password) {
        if (url == null || !url.regionMatches(true, 0, "jdbc:postgresql:", 0, 16)) {
            throw new SwitchbackException(ErrorCode.CONFIG, "lint --rehearse needs a PostgreSQL or MariaDB/MySQL database (jdbc:postgresql://..., jdbc:mariadb://...), "
                    + "not " + dev.switchback.migration.dialect.Dialects.mask(url));
        }
        String rest = url.substring(16).replaceFirst("^//", "");
        Map<String, String> params = new HashMap<>();
        String query = "";
        int q = rest.indexOf('?');
        if (q >= 0) {
            query = rest.substring(q + 1);
            for (String pair : query.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    params.put(pair.substring(0, eq).toLowerCase(java.util.Locale.ROOT),
                            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
            rest = rest.substring(0, q);
        }
        int slash = rest.indexOf('/');
        String hostPart = slash < 0 ? rest : rest.substring(0, slash);
        String database = slash < 0 ? "" : rest.substring(slash + 1);
        if (hostPart.contains(",")) {
            hostPart = hostPart.substring(0, hostPart.indexOf(','));
        }
        String host = hostPart.isEmpty() ? "localhost" : hostPart;
        int port = 5432;
        int colon = hostPart.lastIndexOf(':');
        if (colon > 0 && !hostPart.endsWith("]")) {
            host = hostPart.substring(0, colon);
            port = Integer.parseInt(hostPart.substring(colon + 1));
        }
        if (database.isEmpty()) {
            throw new SwitchbackException(ErrorCode.CONFIG, "The database URL names no database: " + url.replaceAll("password=[^&]*", "password=****"));
        }
        return new PgServer(host, port, database, user != null ? user : params.get("user"),
                password != null ? password : params.get("password"), query);
    }

    PgServer withDatabase(String other) {
        return new PgServer(host, port, other, user, password, query);
    }

    String url() {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database + (query.isEmpty() ? "" : "?" + query);
    }

    Connection connect() throws SQLException {
        Properties p = new Properties();
        if (user != null) {
            p.setProperty("user", user);
        }
        if (password != null) {
            p.setProperty("password", password);
        }
        return DriverManager.getConnection(url(), p);
    }

    /** Connection arguments for pg_dump and psql; the password goes through PGPASSWORD, never the command line. */
    java.util.List<String> toolArgs() {
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("-h", host, "-p", String.valueOf(port),
                "--no-password", "-d", database));
        if (user != null) {
            args.add("-U");
            args.add(user);
        }
        return args;
    }

    Map<String, String> toolEnv() {
        Map<String, String> env = new HashMap<>();
        if (password != null) {
            env.put("PGPASSWORD", password);
        }
        env.put("PGCONNECT_TIMEOUT", "10");
        return env;
    }

    @Override
    public String toString() {
        return "postgresql://" + host + ":" + port + "/" + database;
    }
}

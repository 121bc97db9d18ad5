package dev.switchback.migration;

import dev.switchback.migration.dialect.Dialects;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The one reader of the URLs services already have ({@code DATABASE_URL} as Heroku, Rails, Django and the seeds write
 * it): {@code postgres://} and {@code postgresql://}, {@code mysql://} and {@code mariadb://} with user, password,
 * host, port, database and query parameters, {@code sqlite:path} and {@code sqlite:///abs/path}. Each becomes the JDBC
 * URL Switchback connects with; the user and password move out of it, so they are passed to the driver as properties
 * and never shown. A {@code jdbc:} URL is kept as it is.
 *
 * @param jdbc     the JDBC URL
 * @param user     the user the URL names (percent-decoded), or null
 * @param password the password the URL names (percent-decoded), or null
 */
public record DatabaseUrl(String jdbc, String user, String password) {
    /** The schemes read here, for messages. */
    public static final String ACCEPTED = "postgres://, postgresql://, mysql://, mariadb://, sqlite:FILE, sqlite:///ABS/PATH";

    /**
     * @throws SwitchbackException (CONFIG) for a URL of one of these schemes that names no database
     */
    public static DatabaseUrl parse(String url) {
        String lower = url.strip().toLowerCase(Locale.ROOT);
        if (lower.startsWith("sqlite:")) {
            String rest = url.strip().substring(7);
            // sqlite:///abs/path is SQLAlchemy's and dbmate's absolute path; sqlite://rel/path a relative one
            return new DatabaseUrl("jdbc:sqlite:" + (rest.startsWith("//") ? rest.substring(2) : rest), null, null);
        }
        String driver = lower.startsWith("postgres://") || lower.startsWith("postgresql://") ? "postgresql"
                : lower.startsWith("mysql://") ? "mysql" : lower.startsWith("mariadb://") ? "mariadb" : null;
        if (driver == null) {
            return new DatabaseUrl(url, null, null);
        }
        String rest = url.strip().substring(url.indexOf("://") + 3);
        int slash = rest.indexOf('/');
        int query = rest.indexOf('?');
        int authorityEnd = slash >= 0 ? slash : query >= 0 ? query : rest.length();
        String authority = rest.substring(0, authorityEnd);
        String tail = rest.substring(authorityEnd);
        String user = null;
        String password = null;
        int at = authority.lastIndexOf('@');
        if (at >= 0) {
            String userInfo = authority.substring(0, at);
            authority = authority.substring(at + 1);
            int colon = userInfo.indexOf(':');
            user = decode(colon >= 0 ? userInfo.substring(0, colon) : userInfo);
            password = colon >= 0 ? decode(userInfo.substring(colon + 1)) : null;
        }
        String path = tail.startsWith("/") ? tail.substring(1, tail.indexOf('?') >= 0 ? tail.indexOf('?') : tail.length()) : "";
        if (path.isEmpty() && !driver.equals("mysql") && !driver.equals("mariadb")) {
            throw new SwitchbackException(ErrorCode.CONFIG, "The database URL " + Dialects.mask(url)
                    + " names no database; write " + lower.substring(0, lower.indexOf("://")) + "://user:password@host:port/database");
        }
        String host = authority.isEmpty() ? "localhost" : authority;
        String params = tail.indexOf('?') >= 0 ? tail.substring(tail.indexOf('?')) : "";
        return new DatabaseUrl("jdbc:" + driver + "://" + host + "/" + path + params, user == null || user.isEmpty() ? null : user,
                password);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "DatabaseUrl[" + jdbc + ", user=" + user + ", password=" + (password == null ? null : "****") + "]";
    }
}

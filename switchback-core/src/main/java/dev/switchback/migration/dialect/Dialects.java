package dev.switchback.migration.dialect;

import dev.switchback.migration.ErrorCode;
import dev.switchback.migration.Secrets;
import dev.switchback.migration.SwitchbackException;

/** Picks the dialect from the JDBC URL with one explicit switch. */
public final class Dialects {
    public static final String SUPPORTED = "jdbc:postgresql://, jdbc:mariadb://, jdbc:mysql://, jdbc:sqlite:, postgres://, "
            + "postgresql://, mysql://, mariadb://, sqlite:";

    private Dialects() {
    }

    public static Dialect forUrl(String url) {
        String scheme = url == null ? "" : url.toLowerCase(java.util.Locale.ROOT);
        String[] parts = scheme.split(":", 3);
        String kind = parts.length >= 2 && parts[0].equals("jdbc") ? parts[1] : "";
        return switch (kind) {
            case "postgresql" -> new PostgresDialect();
            case "mariadb", "mysql" -> new MySqlDialect();
            case "sqlite" -> new SqliteDialect();
            default -> throw new SwitchbackException(ErrorCode.CONFIG, "Unsupported database URL '" + mask(url)
                    + "'. Supported: " + SUPPORTED + " (set database.url, SWITCHBACK_DATABASE_URL or --url)");
        };
    }

    /** Picks the dialect from a live connection (when the application hands us a DataSource). */
    public static Dialect forProduct(String productName, String url) {
        String p = productName.toLowerCase(java.util.Locale.ROOT);
        if (p.contains("postgres")) {
            return new PostgresDialect();
        }
        if (p.contains("mariadb") || p.contains("mysql")) {
            return new MySqlDialect();
        }
        if (p.contains("sqlite")) {
            return new SqliteDialect();
        }
        return forUrl(url);
    }

    /** The URL with any password in it masked. */
    public static String mask(String url) {
        if (url == null || !(url.indexOf('@') >= 0 || maskable(url))) {
            return url; // none of the forms below: a user-info or Oracle-style password needs an @
        }
        return url.replaceAll("(?i)(password|pwd|secret|token|key)=([^&;]*)", "$1=****")
                .replaceAll("(//[^/:@]+):[^@/]*@", "$1:****@")
                .replaceAll("(?i)(jdbc:[a-z]+:[a-z]+:[^/@:]*)/[^@]*@", "$1/****@");
    }

    /** Whether {@code url} has one of the parameters {@link #mask} masks ({@code password=}, {@code key=}... in any case). */
    private static boolean maskable(String url) {
        for (String name : new String[]{"password=", "pwd=", "secret=", "token=", "key="}) {
            if (Secrets.containsIgnoreCase(url, name)) {
                return true;
            }
        }
        return false;
    }
}

package dev.switchback.migration;

import dev.switchback.migration.dialect.Dialects;

import javax.sql.DataSource;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The migration settings, validated once. Build it with {@link #from} (every problem reported together)
 * or through {@link Switchback#configure()}.
 *
 * @param dataSource an application's DataSource; when set, url/user/password are not used to connect
 * @param baseDir    relative locations and SQLite files resolve against it
 * @param allowUnsafe apply pending migrations even when lint finds errors in them
 * @param checksumCache the file that remembers the checksums of unchanged migration files between runs, or null
 * @param cacheTtl    how long a migrate that found the database up to date is taken at its word without connecting
 *                    ({@link RecentCheck}), or null (off)
 */
public record MigrationConfig(String url, String user, String password, DataSource dataSource, Path baseDir,
                              List<String> locations, String table, String lockTable, String logTable,
                              Duration lockTimeout, Duration statementLockTimeout, int lockRetries, Duration lockLease,
                              int maxRetries, Duration retryDelay, boolean outOfOrder, boolean skip, boolean dryRun,
                              Version target, String installedBy, boolean allowUnsafe, Path checksumCache,
                              Duration cacheTtl) {
    private static final Pattern TABLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)?");

    public MigrationConfig {
        locations = List.copyOf(locations);
    }

    /** The configuration without allowUnsafe, as it was before lint existed. */
    public MigrationConfig(String url, String user, String password, DataSource dataSource, Path baseDir,
                           List<String> locations, String table, String lockTable, String logTable,
                           Duration lockTimeout, Duration statementLockTimeout, int lockRetries, Duration lockLease,
                           int maxRetries, Duration retryDelay, boolean outOfOrder, boolean skip, boolean dryRun,
                           Version target, String installedBy) {
        this(url, user, password, dataSource, baseDir, locations, table, lockTable, logTable, lockTimeout,
                statementLockTimeout, lockRetries, lockLease, maxRetries, retryDelay, outOfOrder, skip, dryRun, target,
                installedBy, false, null, null);
    }

    /** Parses and validates resolved setting values, reporting every bad value at once. */
    public static MigrationConfig from(Map<Setting, String> values, Path baseDir, DataSource dataSource) {
        List<String> problems = new ArrayList<>();
        Parser p = new Parser(values, problems);
        String url = p.text(Setting.DATABASE_URL);
        String user = p.text(Setting.DATABASE_USER);
        String password = p.text(Setting.DATABASE_PASSWORD);
        if (dataSource == null) {
            if (url == null || url.isBlank()) {
                problems.add("database.url is not set (SWITCHBACK_DATABASE_URL, --url); supported: " + Dialects.SUPPORTED);
            } else {
                try {
                    // a service's postgres:// or mysql:// URL: its credentials count unless database.user/password are set
                    DatabaseUrl converted = DatabaseUrl.parse(url);
                    url = converted.jdbc();
                    user = user == null ? converted.user() : user;
                    password = password == null ? converted.password() : password;
                    Dialects.forUrl(url);
                    url = resolveSqlitePath(url, baseDir);
                } catch (SwitchbackException e) {
                    problems.add(e.getMessage());
                }
            }
        }
        List<String> locations = Arrays.stream(String.valueOf(p.text(Setting.LOCATIONS)).split(","))
                .map(String::strip).filter(s -> !s.isEmpty()).toList();
        if (locations.isEmpty()) {
            problems.add("migrations.locations is empty: name at least one directory or classpath: prefix");
        }
        String table = p.tableName(Setting.TABLE);
        String lockTable = p.tableName(Setting.LOCK_TABLE);
        String logTable = p.tableName(Setting.LOG_TABLE);
        Duration lockTimeout = p.duration(Setting.LOCK_TIMEOUT);
        Duration statementLockTimeout = p.duration(Setting.STATEMENT_LOCK_TIMEOUT);
        int lockRetries = p.count(Setting.LOCK_RETRIES);
        Duration lockLease = p.duration(Setting.LOCK_LEASE);
        if (lockLease != null && lockLease.toMillis() < 300) {
            problems.add("migrations.lockLease cannot be less than 300ms, was " + lockLease.toMillis() + "ms");
        }
        int maxRetries = p.count(Setting.MAX_RETRIES);
        Duration retryDelay = p.duration(Setting.RETRY_DELAY);
        boolean outOfOrder = p.bool(Setting.OUT_OF_ORDER);
        boolean skip = p.bool(Setting.SKIP);
        boolean dryRun = p.bool(Setting.DRY_RUN);
        boolean allowUnsafe = p.bool(Setting.ALLOW_UNSAFE);
        String cacheText = p.text(Setting.CHECKSUM_CACHE);
        Path checksumCache = cacheText == null || cacheText.isBlank() || cacheText.strip().equalsIgnoreCase("off")
                || cacheText.strip().equalsIgnoreCase("false") ? null : baseDir.resolve(cacheText.strip()).normalize();
        String ttlText = p.text(Setting.CACHE_TTL);
        Duration cacheTtl = ttlText == null || ttlText.isBlank() || ttlText.strip().equalsIgnoreCase("off")
                || ttlText.strip().equalsIgnoreCase("false") ? null : p.duration(Setting.CACHE_TTL);
        if (Duration.ZERO.equals(cacheTtl)) {
            cacheTtl = null;
        }
        Version target = null;
        String targetText = p.text(Setting.TARGET);
        if (targetText != null && !targetText.isBlank() && !targetText.equalsIgnoreCase("latest")) {
            if (Version.isValid(targetText.strip())) {
                target = Version.parse(targetText.strip());
            } else {
                problems.add("migrations.target '" + targetText + "' is not a version (digit groups separated by '.' or '_')");
            }
        }
        String installedBy = p.text(Setting.INSTALLED_BY);
        if (installedBy == null || installedBy.isBlank()) {
            installedBy = System.getProperty("user.name", "unknown");
        }
        if (!problems.isEmpty()) {
            throw new SwitchbackException(ErrorCode.CONFIG, "Invalid configuration:\n  - " + String.join("\n  - ", problems));
        }
        return new MigrationConfig(url, user, password, dataSource,
                baseDir, locations, table, lockTable, logTable, lockTimeout, statementLockTimeout, lockRetries, lockLease,
                maxRetries, retryDelay, outOfOrder, skip, dryRun, target, installedBy, allowUnsafe, checksumCache, cacheTtl);
    }

    /** A relative SQLite file resolves against the config file's folder, like every other path. */
    static String resolveSqlitePath(String url, Path baseDir) {
        Path file = SqliteUrl.file(url);
        if (file == null || file.isAbsolute() || file.toString().matches("^[A-Za-z]:[\\\\/].*")) {
            return url;
        }
        return SqliteUrl.withFile(url, baseDir.resolve(file).normalize());
    }

    public MigrationConfig withTarget(Version newTarget) {
        return new MigrationConfig(url, user, password, dataSource, baseDir, locations, table, lockTable, logTable,
                lockTimeout, statementLockTimeout, lockRetries, lockLease, maxRetries, retryDelay, outOfOrder, skip,
                dryRun, newTarget, installedBy, allowUnsafe, checksumCache, cacheTtl);
    }

    public MigrationConfig withLocations(List<String> newLocations) {
        return new MigrationConfig(url, user, password, dataSource, baseDir, newLocations, table, lockTable, logTable,
                lockTimeout, statementLockTimeout, lockRetries, lockLease, maxRetries, retryDelay, outOfOrder, skip,
                dryRun, target, installedBy, allowUnsafe, checksumCache, cacheTtl);
    }

    public MigrationConfig withUrl(String newUrl) {
        return new MigrationConfig(newUrl, user, password, null, baseDir, locations, table, lockTable, logTable,
                lockTimeout, statementLockTimeout, lockRetries, lockLease, maxRetries, retryDelay, outOfOrder, skip,
                dryRun, target, installedBy, allowUnsafe, checksumCache, cacheTtl);
    }

    /** The same settings for another database reached with its own user and password (compare). */
    public MigrationConfig withConnection(String newUrl, String newUser, String newPassword) {
        return new MigrationConfig(newUrl, newUser, newPassword, null, baseDir, locations, table, lockTable, logTable,
                lockTimeout, statementLockTimeout, lockRetries, lockLease, maxRetries, retryDelay, outOfOrder, skip,
                dryRun, target, installedBy, allowUnsafe, checksumCache, cacheTtl);
    }

    public MigrationConfig withDryRun(boolean newDryRun) {
        return new MigrationConfig(url, user, password, dataSource, baseDir, locations, table, lockTable, logTable,
                lockTimeout, statementLockTimeout, lockRetries, lockLease, maxRetries, retryDelay, outOfOrder, skip,
                newDryRun, target, installedBy, allowUnsafe, checksumCache, cacheTtl);
    }

    public MigrationConfig withAllowUnsafe(boolean newAllowUnsafe) {
        return new MigrationConfig(url, user, password, dataSource, baseDir, locations, table, lockTable, logTable,
                lockTimeout, statementLockTimeout, lockRetries, lockLease, maxRetries, retryDelay, outOfOrder, skip,
                dryRun, target, installedBy, newAllowUnsafe, checksumCache, cacheTtl);
    }

    /** The same settings keeping checksums in {@code file} (null: no cache). */
    public MigrationConfig withChecksumCache(Path file) {
        return new MigrationConfig(url, user, password, dataSource, baseDir, locations, table, lockTable, logTable,
                lockTimeout, statementLockTimeout, lockRetries, lockLease, maxRetries, retryDelay, outOfOrder, skip,
                dryRun, target, installedBy, allowUnsafe, file, cacheTtl);
    }

    /** The URL with any password masked, for messages and status. */
    public String maskedUrl() {
        return dataSource != null && url == null ? "(application DataSource)" : Dialects.mask(url);
    }

    @Override
    public String toString() {
        return "MigrationConfig[url=" + maskedUrl() + ", user=" + user + ", password=" + (password == null ? null : "****")
                + ", locations=" + locations + ", table=" + table + ", lockTimeout=" + lockTimeout + "]";
    }

    private static final class Parser {
        private final Map<Setting, String> values;
        private final List<String> problems;

        Parser(Map<Setting, String> values, List<String> problems) {
            this.values = values;
            this.problems = problems;
        }

        String text(Setting s) {
            String v = values.get(s);
            return v == null || v.isEmpty() ? null : v;
        }

        String tableName(Setting s) {
            String v = text(s);
            if (v == null || !TABLE_NAME.matcher(v).matches()) {
                problems.add(s.path() + " '" + v + "' is not a table name (letters, digits, _; optionally schema.table)");
            }
            return v;
        }

        Duration duration(Setting s) {
            return Settings.duration(s.path(), text(s), problems);
        }

        int count(Setting s) {
            String v = text(s);
            try {
                int n = Integer.parseInt(String.valueOf(v).strip());
                if (n < 0) {
                    problems.add(s.path() + " cannot be less than 0, was " + n);
                }
                return n;
            } catch (NumberFormatException e) {
                problems.add(s.path() + " '" + v + "' is not a whole number");
                return 0;
            }
        }

        boolean bool(Setting s) {
            String v = String.valueOf(text(s)).strip().toLowerCase(Locale.ROOT);
            return switch (v) {
                case "true", "yes", "on", "1" -> true;
                case "false", "no", "off", "0", "null" -> false;
                default -> {
                    problems.add(s.path() + " '" + text(s) + "' is not true or false");
                    yield false;
                }
            };
        }
    }
}

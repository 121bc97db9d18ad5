package dev.switchback.migration;

import java.util.List;

/**
 * Every migration setting in one place: its path in switchback.yml, its default, its description
 * and the environment names that set it. The env name {@code SWITCHBACK_<PATH>} is derived from the path
 * ({@code migrations.lockTimeout} is {@code SWITCHBACK_MIGRATIONS_LOCK_TIMEOUT}); aliases come from the runbooks.
 */
public enum Setting implements SettingKey {
    DATABASE_URL("database.url", "jdbc:sqlite:switchback.db", "JDBC URL: jdbc:postgresql://, jdbc:mariadb://, jdbc:mysql:// or jdbc:sqlite:FILE"),
    DATABASE_USER("database.user", null, "database user"),
    DATABASE_PASSWORD("database.password", null, "database password (never printed)"),
    LOCATIONS("migrations.locations", "migrations", "comma-separated directories (searched recursively) and classpath: prefixes"),
    TABLE("migrations.table", "switchback_history", "history table"),
    LOCK_TABLE("migrations.lockTable", "switchback_lock", "table naming the lock holder (the lease on SQLite)"),
    LOG_TABLE("migrations.logTable", "switchback_log", "audit log of migrate, rollback, baseline, repair, unlock"),
    LOCK_TIMEOUT("migrations.lockTimeout", "60s", "how long to wait for another migrator before exit 3", "MIGRATION_LOCK_TIMEOUT"),
    STATEMENT_LOCK_TIMEOUT("migrations.statementLockTimeout", "5s", "PostgreSQL lock_timeout (MariaDB lock_wait_timeout) per statement; 0 disables"),
    LOCK_RETRIES("migrations.lockRetries", "5", "retries of a migration that hit statementLockTimeout, with backoff"),
    LOCK_LEASE("migrations.lockLease", "30s", "SQLite lease length; a dead holder's lease is taken over after it"),
    MAX_RETRIES("migrations.maxRetries", "3", "connection retries when the database is unreachable", "MIGRATION_MAX_RETRIES"),
    RETRY_DELAY("migrations.retryDelay", "2s", "first connection retry delay, doubled each time"),
    OUT_OF_ORDER("migrations.outOfOrder", "false", "apply pending versions lower than the highest applied"),
    SKIP("migrations.skip", "false", "skip migrate entirely (emergency bypass)", "SWITCHBACK_SKIP_MIGRATIONS", "AUTO_MIGRATE"),
    DRY_RUN("migrations.dryRun", "false", "print the plan and SQL of migrate, change nothing", "MIGRATION_DRY_RUN"),
    TARGET("migrations.target", null, "apply up to this version only"),
    INSTALLED_BY("migrations.installedBy", null, "name recorded in the history (default: the OS user)"),
    ALLOW_UNSAFE("migrations.allowUnsafe", "false", "apply migrations with error-severity lint findings (also --allow-unsafe)");

    private final String path;
    private final String defaultValue;
    private final String description;
    private final List<String> aliases;

    Setting(String path, String defaultValue, String description, String... aliases) {
        this.path = path;
        this.defaultValue = defaultValue;
        this.description = description;
        this.aliases = List.of(aliases);
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public String defaultValue() {
        return defaultValue;
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public List<String> aliases() {
        return aliases;
    }

    @Override
    public boolean isSecret() {
        return this == DATABASE_PASSWORD;
    }

    public static Setting forPath(String path) {
        for (Setting s : values()) {
            if (s.path.equalsIgnoreCase(path)) {
                return s;
            }
        }
        return null;
    }
}

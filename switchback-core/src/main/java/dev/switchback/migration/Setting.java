package dev.switchback.migration;


/**
 * Every migration setting in one place: its path in switchback.yml, its default, its description
 * and the environment names that set it. The env name {@code SWITCHBACK_<PATH>} is derived from the path
 * ({@code migrations.lockTimeout} is {@code SWITCHBACK_MIGRATIONS_LOCK_TIMEOUT}); aliases come from the runbooks.
 */
public enum Setting implements SettingKey {
    DATABASE_URL(Spec.of("database.url", "jdbc:sqlite:switchback.db", "JDBC URL: jdbc:postgresql://, jdbc:mariadb://, jdbc:mysql:// or jdbc:sqlite:FILE; also postgres://, mysql://, mariadb:// (credentials in it are used) and sqlite:FILE")),
    DATABASE_USER(Spec.of("database.user", null, "database user")),
    DATABASE_PASSWORD(Spec.of("database.password", null, "database password (never printed)").masked()),
    LOCATIONS(Spec.of("migrations.locations", "migrations", "comma-separated directories (searched recursively) and classpath: prefixes")),
    TABLE(Spec.of("migrations.table", "switchback_history", "history table")),
    LOCK_TABLE(Spec.of("migrations.lockTable", "switchback_lock", "table naming the lock holder (the lease on SQLite)")),
    LOG_TABLE(Spec.of("migrations.logTable", "switchback_log", "audit log of migrate, rollback, baseline, repair, unlock")),
    LOCK_TIMEOUT(Spec.of("migrations.lockTimeout", "60s", "how long to wait for another migrator before exit 3", "MIGRATION_LOCK_TIMEOUT")),
    STATEMENT_LOCK_TIMEOUT(Spec.of("migrations.statementLockTimeout", "5s", "PostgreSQL lock_timeout (MariaDB lock_wait_timeout) per statement; 0 disables")),
    LOCK_RETRIES(Spec.of("migrations.lockRetries", "5", "retries of a migration that hit statementLockTimeout, with backoff")),
    LOCK_LEASE(Spec.of("migrations.lockLease", "30s", "SQLite lease length; a dead holder's lease is taken over after it")),
    MAX_RETRIES(Spec.of("migrations.maxRetries", "3", "connection retries when the database is unreachable", "MIGRATION_MAX_RETRIES")),
    RETRY_DELAY(Spec.of("migrations.retryDelay", "2s", "first connection retry delay, doubled each time")),
    OUT_OF_ORDER(Spec.of("migrations.outOfOrder", "false", "apply pending versions lower than the highest applied")),
    SKIP(Spec.of("migrations.skip", "false", "skip migrate entirely (emergency bypass)", "SWITCHBACK_SKIP_MIGRATIONS", "AUTO_MIGRATE", "EMERGENCY_BYPASS")),
    DRY_RUN(Spec.of("migrations.dryRun", "false", "print the plan and SQL of migrate, change nothing", "MIGRATION_DRY_RUN")),
    TARGET(Spec.of("migrations.target", null, "apply up to this version only")),
    INSTALLED_BY(Spec.of("migrations.installedBy", null, "name recorded in the history (default: the OS user)")),
    ALLOW_UNSAFE(Spec.of("migrations.allowUnsafe", "false", "apply migrations with error-severity lint findings (also --allow-unsafe)")),
    CHECKSUM_CACHE(Spec.of("migrations.checksumCache", ".switchback/checksums",
            "file remembering checksums of unchanged migration files (size, mtime, ctime, inode) so a no-op check reads none; off disables")),
    CACHE_TTL(Spec.of("migrations.cacheTtl", "off", "for this long after a migrate found the database up to date, a migrate with "
            + "unchanged files and settings answers so without connecting (a change made to the database meanwhile is not seen); off disables",
            "MIGRATION_CACHE_TTL"));

    /** The switches that skip migrate, as messages name them. */
    public static final String SKIP_SWITCHES = "migrations.skip, SWITCHBACK_SKIP_MIGRATIONS, AUTO_MIGRATE=false or EMERGENCY_BYPASS=true";

    private final Spec spec;

    Setting(Spec spec) {
        this.spec = spec;
    }

    @Override
    public Spec spec() {
        return spec;
    }

    public static Setting forPath(String path) {
        for (Setting s : values()) {
            if (s.path().equalsIgnoreCase(path)) {
                return s;
            }
        }
        return null;
    }
}

package dev.switchback.migration;

import dev.switchback.migration.lint.LintConfig;
import dev.switchback.migration.lint.LintSetting;

import javax.sql.DataSource;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

/**
 * The entry point for applications:
 * <pre>{@code
 * Switchback.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
 * }</pre>
 * Values set here are the application's configuration; the environment overrides them
 * ({@code SWITCHBACK_*}, {@code SWITCHBACK_SKIP_MIGRATIONS}, {@code AUTO_MIGRATE=false}, {@code MIGRATION_DRY_RUN},
 * {@code MIGRATION_MAX_RETRIES}, {@code MIGRATION_LOCK_TIMEOUT} in ms), so operators can skip or dry-run a start-up
 * migration without a rebuild.
 */
public final class Switchback {
    private Switchback() {
    }

    public static Builder configure() {
        return new Builder();
    }

    public static final class Builder {
        private final Map<Setting, String> values = new EnumMap<>(Setting.class);
        private final Map<LintSetting, String> lintValues = new EnumMap<>(LintSetting.class);
        private final Map<DriftSetting, String> driftValues = new EnumMap<>(DriftSetting.class);
        private Map<String, String> environment = System.getenv();
        private DataSource dataSource;
        private Path baseDir = Path.of("").toAbsolutePath();
        private ClassLoader classLoader = Thread.currentThread().getContextClassLoader();
        private MigrationListener listener = MigrationListener.NONE;
        private BeforeMigrate beforeMigrate = BeforeMigrate.NONE;

        private Builder() {
        }

        public Builder dataSource(DataSource ds) {
            this.dataSource = ds;
            values.remove(Setting.DATABASE_URL);
            return this;
        }

        public Builder url(String url) {
            return set(Setting.DATABASE_URL, url);
        }

        public Builder user(String user) {
            return set(Setting.DATABASE_USER, user);
        }

        public Builder password(String password) {
            return set(Setting.DATABASE_PASSWORD, password);
        }

        public Builder locations(String... locations) {
            return set(Setting.LOCATIONS, String.join(",", locations));
        }

        public Builder table(String table) {
            return set(Setting.TABLE, table);
        }

        public Builder lockTimeout(Duration d) {
            return set(Setting.LOCK_TIMEOUT, d.toMillis() + "ms");
        }

        public Builder statementLockTimeout(Duration d) {
            return set(Setting.STATEMENT_LOCK_TIMEOUT, d.toMillis() + "ms");
        }

        public Builder lockRetries(int n) {
            return set(Setting.LOCK_RETRIES, String.valueOf(n));
        }

        public Builder lockLease(Duration d) {
            return set(Setting.LOCK_LEASE, d.toMillis() + "ms");
        }

        public Builder maxRetries(int n) {
            return set(Setting.MAX_RETRIES, String.valueOf(n));
        }

        public Builder retryDelay(Duration d) {
            return set(Setting.RETRY_DELAY, d.toMillis() + "ms");
        }

        public Builder outOfOrder(boolean b) {
            return set(Setting.OUT_OF_ORDER, String.valueOf(b));
        }

        public Builder skip(boolean b) {
            return set(Setting.SKIP, String.valueOf(b));
        }

        public Builder dryRun(boolean b) {
            return set(Setting.DRY_RUN, String.valueOf(b));
        }

        public Builder target(String version) {
            return set(Setting.TARGET, version);
        }

        public Builder installedBy(String name) {
            return set(Setting.INSTALLED_BY, name);
        }

        /** Apply migrations even when lint finds errors in them (the environment can still say otherwise). */
        public Builder allowUnsafe(boolean b) {
            return set(Setting.ALLOW_UNSAFE, String.valueOf(b));
        }

        /** A {@code lint.*} setting, as text: e.g. {@code set(LintSetting.DISABLE, "drop-index-blocking")}. */
        /** A drift setting ({@code drift.ignore}, {@code migrations.onDrift}); null removes it. */
        public Builder set(DriftSetting setting, String value) {
            if (value == null) {
                driftValues.remove(setting);
            } else {
                driftValues.put(setting, value);
            }
            return this;
        }

        public Builder set(LintSetting setting, String value) {
            if (value == null) {
                lintValues.remove(setting);
            } else {
                lintValues.put(setting, value);
            }
            return this;
        }

        /** Any setting by its enum constant, as text (durations like {@code 5s}, booleans, numbers). */
        public Builder set(Setting setting, String value) {
            if (value == null) {
                values.remove(setting);
            } else {
                values.put(setting, value);
            }
            return this;
        }

        /** The folder relative locations and SQLite files resolve against (default: the working directory). */
        public Builder baseDir(Path dir) {
            this.baseDir = dir.toAbsolutePath();
            return this;
        }

        public Builder classLoader(ClassLoader loader) {
            this.classLoader = loader;
            return this;
        }

        /** The environment to read overrides from (default: the process environment; an empty map ignores it). */
        public Builder environment(Map<String, String> env) {
            this.environment = Map.copyOf(env);
            return this;
        }

        public Builder listener(MigrationListener l) {
            this.listener = l;
            return this;
        }

        /** Runs before migrate applies anything, under the lock (e.g. to take a backup). */
        public Builder beforeMigrate(BeforeMigrate hook) {
            this.beforeMigrate = hook;
            return this;
        }

        public Migrator load() {
            Map<Setting, String> resolved = Settings.resolve(values, environment, Map.of());
            if (dataSource != null && !values.containsKey(Setting.DATABASE_URL)) {
                resolved.remove(Setting.DATABASE_URL);
            }
            LintConfig lint = LintConfig.from(Settings.resolve(LintSetting.class, lintValues, environment, Map.of()));
            DriftConfig drift = DriftConfig.from(Settings.resolve(DriftSetting.class, driftValues, environment, Map.of()));
            return new Migrator(MigrationConfig.from(resolved, baseDir, dataSource), classLoader, listener, beforeMigrate, lint)
                    .withDrift(drift);
        }
    }
}

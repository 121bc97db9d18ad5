package dev.switchback.spring;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code switchback.*}, named like {@code spring.flyway.*} where the meaning is the same. Unset values keep
 * Switchback's defaults; the environment's switches ({@code AUTO_MIGRATE=false}, {@code SWITCHBACK_SKIP_MIGRATIONS},
 * {@code MIGRATION_DRY_RUN}, {@code SWITCHBACK_*}) still win over them.
 */
@ConfigurationProperties(prefix = "switchback")
public class SwitchbackProperties {
    /** Whether to migrate at start-up (false: no migrator at all, like spring.flyway.enabled). */
    private boolean enabled = true;
    /** Where the migration files are. */
    private List<String> locations = new ArrayList<>(List.of("classpath:db/migration"));
    /** A separate connection for migrating (else the application's, or the @SwitchbackDataSource, DataSource). */
    private String url;
    /** User of {@link #url}. */
    private String user;
    /** Password of {@link #url}. */
    private String password;
    /** The history table (default switchback_history). */
    private String table;
    /** The table naming the lock holder (default switchback_lock). */
    private String lockTable;
    /** The audit log table (default switchback_log). */
    private String logTable;
    /** Baseline a database that has tables but no history before migrating, at {@link #baselineVersion} (like Flyway's). */
    private boolean baselineOnMigrate = false;
    /** The version baseline-on-migrate marks as applied. */
    private String baselineVersion = "1";
    /** The description baseline-on-migrate records. */
    private String baselineDescription;
    /** Take over another tool's history at start-up when Switchback has none yet: flyway, liquibase, golang-migrate, goose, dbmate, rails, ef-core or table:NAME[:COLUMN]. */
    private String importFrom;
    /** The other tool's table, when not its default. */
    private String importTable;
    /** Apply pending versions lower than the highest applied. */
    private Boolean outOfOrder;
    /** Apply up to this version only. */
    private String target;
    /** How long to wait for another migrator. */
    private Duration lockTimeout;
    /** Per-statement lock timeout (PostgreSQL lock_timeout, MariaDB lock_wait_timeout). */
    private Duration statementLockTimeout;
    /** Retries of a migration that hit the statement lock timeout. */
    private Integer lockRetries;
    /** SQLite lease length. */
    private Duration lockLease;
    /** Connection retries when the database is unreachable (like spring.flyway.connect-retries). */
    private Integer maxRetries;
    /** First connection retry delay, doubled each time. */
    private Duration retryDelay;
    /** Log the plan, change nothing. */
    private Boolean dryRun;
    /** Skip the migration (the migrator, endpoint and health stay). */
    private Boolean skip;
    /** The name recorded in the history. */
    private String installedBy;
    /** Apply migrations with error-severity lint findings. */
    private Boolean allowUnsafe;
    /** lint.* settings by name: pg-version / pgVersion, disable, error, warning, info. */
    private Map<String, String> lint = new LinkedHashMap<>();

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public List<String> getLocations() {
        return locations;
    }

    public void setLocations(List<String> locations) {
        this.locations = locations;
    }

    public String getUrl() {
        return url;
    }

    public void setUrl(String url) {
        this.url = url;
    }

    public String getUser() {
        return user;
    }

    public void setUser(String user) {
        this.user = user;
    }

    public String getPassword() {
        return password;
    }

    public void setPassword(String password) {
        this.password = password;
    }

    public String getTable() {
        return table;
    }

    public void setTable(String table) {
        this.table = table;
    }

    public String getLockTable() {
        return lockTable;
    }

    public void setLockTable(String lockTable) {
        this.lockTable = lockTable;
    }

    public String getLogTable() {
        return logTable;
    }

    public void setLogTable(String logTable) {
        this.logTable = logTable;
    }

    public boolean isBaselineOnMigrate() {
        return baselineOnMigrate;
    }

    public void setBaselineOnMigrate(boolean baselineOnMigrate) {
        this.baselineOnMigrate = baselineOnMigrate;
    }

    public String getBaselineVersion() {
        return baselineVersion;
    }

    public void setBaselineVersion(String baselineVersion) {
        this.baselineVersion = baselineVersion;
    }

    public String getBaselineDescription() {
        return baselineDescription;
    }

    public void setBaselineDescription(String baselineDescription) {
        this.baselineDescription = baselineDescription;
    }

    public String getImportFrom() {
        return importFrom;
    }

    public void setImportFrom(String importFrom) {
        this.importFrom = importFrom;
    }

    public String getImportTable() {
        return importTable;
    }

    public void setImportTable(String importTable) {
        this.importTable = importTable;
    }

    public Boolean getOutOfOrder() {
        return outOfOrder;
    }

    public void setOutOfOrder(Boolean outOfOrder) {
        this.outOfOrder = outOfOrder;
    }

    public String getTarget() {
        return target;
    }

    public void setTarget(String target) {
        this.target = target;
    }

    public Duration getLockTimeout() {
        return lockTimeout;
    }

    public void setLockTimeout(Duration lockTimeout) {
        this.lockTimeout = lockTimeout;
    }

    public Duration getStatementLockTimeout() {
        return statementLockTimeout;
    }

    public void setStatementLockTimeout(Duration statementLockTimeout) {
        this.statementLockTimeout = statementLockTimeout;
    }

    public Integer getLockRetries() {
        return lockRetries;
    }

    public void setLockRetries(Integer lockRetries) {
        this.lockRetries = lockRetries;
    }

    public Duration getLockLease() {
        return lockLease;
    }

    public void setLockLease(Duration lockLease) {
        this.lockLease = lockLease;
    }

    public Integer getMaxRetries() {
        return maxRetries;
    }

    public void setMaxRetries(Integer maxRetries) {
        this.maxRetries = maxRetries;
    }

    public Duration getRetryDelay() {
        return retryDelay;
    }

    public void setRetryDelay(Duration retryDelay) {
        this.retryDelay = retryDelay;
    }

    public Boolean getDryRun() {
        return dryRun;
    }

    public void setDryRun(Boolean dryRun) {
        this.dryRun = dryRun;
    }

    public Boolean getSkip() {
        return skip;
    }

    public void setSkip(Boolean skip) {
        this.skip = skip;
    }

    public String getInstalledBy() {
        return installedBy;
    }

    public void setInstalledBy(String installedBy) {
        this.installedBy = installedBy;
    }

    public Boolean getAllowUnsafe() {
        return allowUnsafe;
    }

    public void setAllowUnsafe(Boolean allowUnsafe) {
        this.allowUnsafe = allowUnsafe;
    }

    public Map<String, String> getLint() {
        return lint;
    }

    public void setLint(Map<String, String> lint) {
        this.lint = lint;
    }
}

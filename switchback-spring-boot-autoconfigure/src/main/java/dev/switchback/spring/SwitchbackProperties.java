package dev.switchback.spring;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code switchback.*}, named like {@code spring.flyway.*} where the meaning is the same. Unset values keep
 * Switchback's defaults; the environment's switches ({@code AUTO_MIGRATE=false}, {@code SWITCHBACK_SKIP_MIGRATIONS},
 * {@code MIGRATION_DRY_RUN}, {@code SWITCHBACK_*}) still win over them.
 */
@ConfigurationProperties(prefix = "switchback")
public class SwitchbackProperties {
    /** Whether to migrate at start-up. */
    private boolean enabled = true;
    /** Where the migration files are. */
    private List<String> locations = new ArrayList<>(List.of("classpath:db/migration"));
    /** A separate connection for migrating (else the application's DataSource). */
    private String url;
    private String user;
    private String password;
    /** The history table. */
    private String table;
    private Boolean outOfOrder;
    /** Apply up to this version only. */
    private String target;
    private Duration lockTimeout;
    private Boolean dryRun;
    private Boolean skip;

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
}

package dev.switchback.spring;

import dev.switchback.migration.Migrator;
import dev.switchback.migration.Setting;
import dev.switchback.migration.Switchback;
import dev.switchback.migration.lint.LintSetting;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import javax.sql.DataSource;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * Migrates the application's DataSource (or the {@code @SwitchbackDataSource} one, or {@code switchback.url}) at
 * start-up, ordered like Flyway's auto-configuration: after the DataSource, before everything that uses the database.
 * <p>
 * One class for Spring Boot 3.5 and 4.0: it is compiled against 3.5 and names the classes that moved in 4.0 by name
 * only (the DataSource auto-configuration to run after, the health indicator types), so each Boot finds its own.
 */
@AutoConfiguration(afterName = {
        "org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration", // Boot 3
        "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration"}) // Boot 4
@ConditionalOnClass(Switchback.class)
@ConditionalOnBean(DataSource.class)
@ConditionalOnProperty(prefix = "switchback", name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(SwitchbackProperties.class)
public class SwitchbackAutoConfiguration {
    @Bean
    @ConditionalOnMissingBean
    public Migrator switchbackMigrator(SwitchbackProperties properties,
                                       @SwitchbackDataSource ObjectProvider<DataSource> switchbackDataSource,
                                       ObjectProvider<DataSource> dataSource,
                                       ObjectProvider<SwitchbackConfigurationCustomizer> customizers) {
        Switchback.Builder b = Switchback.configure().locations(properties.getLocations().toArray(String[]::new));
        if (properties.getUrl() != null) {
            b.url(properties.getUrl()).user(properties.getUser()).password(properties.getPassword());
        } else {
            DataSource own = switchbackDataSource.getIfAvailable();
            b.dataSource(own != null ? own : dataSource.getObject());
        }
        set(b, Setting.TABLE, properties.getTable());
        set(b, Setting.LOCK_TABLE, properties.getLockTable());
        set(b, Setting.LOG_TABLE, properties.getLogTable());
        set(b, Setting.OUT_OF_ORDER, properties.getOutOfOrder());
        set(b, Setting.TARGET, properties.getTarget());
        set(b, Setting.LOCK_TIMEOUT, millis(properties.getLockTimeout()));
        set(b, Setting.STATEMENT_LOCK_TIMEOUT, millis(properties.getStatementLockTimeout()));
        set(b, Setting.LOCK_RETRIES, properties.getLockRetries());
        set(b, Setting.LOCK_LEASE, millis(properties.getLockLease()));
        set(b, Setting.MAX_RETRIES, properties.getMaxRetries());
        set(b, Setting.RETRY_DELAY, millis(properties.getRetryDelay()));
        set(b, Setting.DRY_RUN, properties.getDryRun());
        set(b, Setting.SKIP, properties.getSkip());
        set(b, Setting.INSTALLED_BY, properties.getInstalledBy());
        set(b, Setting.ALLOW_UNSAFE, properties.getAllowUnsafe());
        for (Map.Entry<String, String> e : properties.getLint().entrySet()) {
            b.set(lintSetting(e.getKey()), e.getValue());
        }
        customizers.orderedStream().forEach(c -> c.customize(b));
        return b.load();
    }

    private static void set(Switchback.Builder b, Setting setting, Object value) {
        if (value != null) {
            b.set(setting, value.toString());
        }
    }

    private static String millis(Duration d) {
        return d == null ? null : d.toMillis() + "ms";
    }

    /** {@code pg-version}, {@code pgVersion} and {@code pgversion} all name lint.pgVersion. */
    private static LintSetting lintSetting(String key) {
        String wanted = key.replace("-", "").toLowerCase(Locale.ROOT);
        for (LintSetting s : LintSetting.values()) {
            if (s.path().substring("lint.".length()).toLowerCase(Locale.ROOT).equals(wanted)) {
                return s;
            }
        }
        throw new IllegalArgumentException("switchback.lint." + key + ": no such lint setting (pg-version, disable, error, warning, info)");
    }

    @Bean
    @ConditionalOnMissingBean
    public SwitchbackMigrationInitializer switchbackMigrationInitializer(Migrator migrator, SwitchbackProperties properties,
                                                                         ObjectProvider<SwitchbackMigrationStrategy> strategy) {
        return new SwitchbackMigrationInitializer(migrator, properties, strategy.getIfAvailable());
    }

    /** {@code /actuator/switchback}, where the actuator is present (exposed like any endpoint: management.endpoints.web.exposure.include). */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.actuate.endpoint.annotation.Endpoint")
    static class EndpointConfiguration {
        @Bean
        @ConditionalOnMissingBean
        public SwitchbackEndpoint switchbackEndpoint(Migrator migrator, ObjectProvider<SwitchbackMigrationInitializer> initializer) {
            return new SwitchbackEndpoint(migrator, initializer.getIfAvailable());
        }
    }

    /** Spring Boot 3's health indicator type. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.actuate.health.HealthIndicator")
    static class Boot3HealthConfiguration {
        @Bean
        @ConditionalOnMissingBean(name = "switchbackHealthIndicator")
        public SwitchbackHealthIndicator switchbackHealthIndicator(Migrator migrator) {
            return new SwitchbackHealthIndicator(new SwitchbackHealth(migrator, Clock.systemUTC()));
        }
    }

    /** Spring Boot 4's health indicator type (module spring-boot-health). */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
    static class Boot4HealthConfiguration {
        @Bean
        @ConditionalOnMissingBean(name = "switchbackHealthIndicator")
        public SwitchbackBoot4HealthIndicator switchbackHealthIndicator(Migrator migrator) {
            return new SwitchbackBoot4HealthIndicator(new SwitchbackHealth(migrator, Clock.systemUTC()));
        }
    }
}

package dev.switchback.spring;

import dev.switchback.migration.Migrator;
import dev.switchback.migration.Switchback;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

import javax.sql.DataSource;

/**
 * Migrates the application's DataSource (or {@code switchback.url}) at start-up, ordered like Flyway's
 * auto-configuration: after the DataSource, before everything that uses the database.
 */
@AutoConfiguration(after = DataSourceAutoConfiguration.class)
@ConditionalOnClass(Switchback.class)
@ConditionalOnBean(DataSource.class)
@ConditionalOnProperty(prefix = "switchback", name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(SwitchbackProperties.class)
public class SwitchbackAutoConfiguration {
    @Bean
    @ConditionalOnMissingBean
    public Migrator switchbackMigrator(SwitchbackProperties properties, ObjectProvider<DataSource> dataSource) {
        Switchback.Builder b = Switchback.configure().locations(properties.getLocations().toArray(String[]::new));
        if (properties.getUrl() != null) {
            b.url(properties.getUrl()).user(properties.getUser()).password(properties.getPassword());
        } else {
            b.dataSource(dataSource.getObject());
        }
        if (properties.getTable() != null) {
            b.table(properties.getTable());
        }
        if (properties.getOutOfOrder() != null) {
            b.outOfOrder(properties.getOutOfOrder());
        }
        if (properties.getTarget() != null) {
            b.target(properties.getTarget());
        }
        if (properties.getLockTimeout() != null) {
            b.lockTimeout(properties.getLockTimeout());
        }
        if (properties.getDryRun() != null) {
            b.dryRun(properties.getDryRun());
        }
        if (properties.getSkip() != null) {
            b.skip(properties.getSkip());
        }
        return b.load();
    }

    @Bean
    @ConditionalOnMissingBean
    public SwitchbackMigrationInitializer switchbackMigrationInitializer(Migrator migrator) {
        return new SwitchbackMigrationInitializer(migrator);
    }
}

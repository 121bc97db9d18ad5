package dev.switchback.spring;

import dev.switchback.migration.MigrateResult;
import dev.switchback.migration.Migrator;
import org.springframework.beans.factory.InitializingBean;

/**
 * Migrates when the context creates it. Spring Boot's database initialization ordering (see
 * {@link SwitchbackDatabaseInitializerDetector}) makes JPA, JDBC templates and every other bean that uses the
 * database wait for it.
 */
public final class SwitchbackMigrationInitializer implements InitializingBean {
    private final Migrator migrator;
    private final SwitchbackProperties properties;
    private final SwitchbackMigrationStrategy strategy;
    private volatile MigrateResult result;

    public SwitchbackMigrationInitializer(Migrator migrator) {
        this(migrator, new SwitchbackProperties(), null);
    }

    /** @param strategy replaces the migrate call; null for {@link Migrator#migrate()} */
    public SwitchbackMigrationInitializer(Migrator migrator, SwitchbackProperties properties, SwitchbackMigrationStrategy strategy) {
        this.migrator = migrator;
        this.properties = properties;
        this.strategy = strategy;
    }

    @Override
    public void afterPropertiesSet() {
        result = StartupMigration.run(migrator, properties, strategy);
    }

    /** What the start-up migration did, or null before it ran (or when a strategy returned none). */
    public MigrateResult result() {
        return result;
    }
}

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
    private MigrateResult result;

    public SwitchbackMigrationInitializer(Migrator migrator) {
        this.migrator = migrator;
    }

    @Override
    public void afterPropertiesSet() {
        result = migrator.migrate();
    }

    /** What the start-up migration did, or null before it ran. */
    public MigrateResult result() {
        return result;
    }
}

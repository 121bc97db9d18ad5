package dev.switchback.spring;

import org.springframework.boot.sql.init.dependency.AbstractBeansOfTypeDatabaseInitializerDetector;

import java.util.Set;

/** Tells Spring Boot that the migration initializes the database, so beans that depend on it are created after it. */
public final class SwitchbackDatabaseInitializerDetector extends AbstractBeansOfTypeDatabaseInitializerDetector {
    @Override
    protected Set<Class<?>> getDatabaseInitializerBeanTypes() {
        return Set.of(SwitchbackMigrationInitializer.class);
    }
}

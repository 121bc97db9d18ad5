package dev.switchback.spring;

import dev.switchback.migration.MigrateResult;
import dev.switchback.migration.Migrator;

/**
 * Replaces the start-up {@code migrate()} call (e.g. verify only, or migrate to a target decided at run time). It runs
 * where the migration would, before anything that uses the database. May return null when it applied nothing.
 */
@FunctionalInterface
public interface SwitchbackMigrationStrategy {
    MigrateResult migrate(Migrator migrator);
}

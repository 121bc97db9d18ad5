package dev.switchback.spring;

import dev.switchback.migration.ImportPlan;
import dev.switchback.migration.MigrateResult;
import dev.switchback.migration.MigrationConfig;
import dev.switchback.migration.Migrator;
import dev.switchback.migration.Problem;
import dev.switchback.migration.foreign.ForeignSource;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The start-up migration: with {@code switchback.import-from}, takes over the other tool's history first (when that
 * tool's table exists and Switchback has no history yet); with {@code switchback.baseline-on-migrate}, baselines a
 * database that has tables but no history (as Flyway does); then the {@link SwitchbackMigrationStrategy}, by default
 * {@link Migrator#migrate()}. Skip and dry-run (also from the environment) do neither first step.
 */
final class StartupMigration {
    private StartupMigration() {
    }

    static MigrateResult run(Migrator migrator, SwitchbackProperties properties, SwitchbackMigrationStrategy strategy) {
        MigrationConfig config = migrator.config();
        boolean prepare = !config.skip() && !config.dryRun()
                && (properties.getImportFrom() != null || properties.isBaselineOnMigrate());
        if (prepare && migrator.currentVersion() == null) {
            Set<String> tables = tables(config);
            if (properties.getImportFrom() != null) {
                ForeignSource source = ForeignSource.parse(properties.getImportFrom(), properties.getImportTable());
                if (source.tables().stream().anyMatch(t -> tables.contains(bare(t)))) {
                    ImportPlan plan = migrator.importHistory(properties.getImportFrom(), properties.getImportTable(), false);
                    if (!plan.clean()) {
                        throw new IllegalStateException("switchback.import-from=" + properties.getImportFrom()
                                + ": the history was not imported, nothing was migrated: " + plan.problems().stream()
                                .map(Problem::message).collect(Collectors.joining("; ")));
                    }
                    tables.add(bare(config.table()));
                }
            }
            tables.removeAll(Set.of(bare(config.table()), bare(config.lockTable()), bare(config.logTable())));
            if (properties.isBaselineOnMigrate() && !tables.isEmpty() && migrator.currentVersion() == null) {
                migrator.baseline(properties.getBaselineVersion(), properties.getBaselineDescription());
            }
        }
        return strategy == null ? migrator.migrate() : strategy.migrate(migrator);
    }

    private static String bare(String table) {
        return table.substring(table.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
    }

    /** The tables of the connection's schema (its database on MariaDB), lower case. */
    private static Set<String> tables(MigrationConfig config) {
        try (Connection c = config.dataSource() != null ? config.dataSource().getConnection()
                : DriverManager.getConnection(config.url(), config.user(), config.password())) {
            DatabaseMetaData meta = c.getMetaData();
            Set<String> names = new HashSet<>();
            try (ResultSet rs = meta.getTables(c.getCatalog(), c.getSchema(), "%", new String[]{"TABLE"})) {
                while (rs.next()) {
                    names.add(rs.getString("TABLE_NAME").toLowerCase(Locale.ROOT));
                }
            }
            return names;
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot list the database's tables: " + e.getMessage(), e);
        }
    }
}

package dev.switchback.migration;

import dev.switchback.migration.schema.Difference;
import dev.switchback.migration.schema.Replay;
import dev.switchback.migration.schema.Schema;
import dev.switchback.migration.schema.SchemaDiff;
import dev.switchback.migration.schema.SchemaInspector;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * The drift verb: the live schema against the schema the applied migrations produce, made by replaying their stored
 * up SQL in order into a scratch database (see {@link Replay}). Switchback's own tables are not compared.
 */
final class Drift {
    private Drift() {
    }

    static DriftReport of(MigrationConfig config) {
        if (Database.isMissingSqliteFile(config)) {
            return DriftReport.unchecked(config.maskedUrl(), "the database file does not exist yet");
        }
        try (Database db = Database.open(config)) {
            return check(db);
        }
    }

    /** The check on an open database; a script that cannot be replayed throws (FAILED) naming it. */
    static DriftReport check(Database db) {
        MigrationConfig config = db.config;
        List<String[]> rows;
        try {
            rows = db.history.scriptsInOrder(db.connection);
        } catch (SQLException e) {
            if (db.dialect.isUndefinedTable(e)) {
                rows = List.of();
            } else {
                throw new SwitchbackException(ErrorCode.FAILED, "Cannot read " + config.table() + " for the schema check: " + e.getMessage(), e);
            }
        }
        List<Replay.Script> scripts = new ArrayList<>();
        for (String[] row : rows) {
            if (AppliedMigration.TYPE_BASELINE.equals(row[2])) {
                return DriftReport.unchecked(config.maskedUrl(), "the history starts at a baseline (" + row[0]
                        + "): the schema before it is not in the migrations, so there is nothing to replay it from");
            }
            if (!AppliedMigration.SUCCESS.equals(row[1])) {
                return DriftReport.unchecked(config.maskedUrl(), row[0] + " is " + row[1] + ": the schema is checked once every "
                        + "applied migration has succeeded (migrate again, or repair)");
            }
            if (row[3] == null) {
                return DriftReport.unchecked(config.maskedUrl(), row[0] + " has no stored SQL to replay");
            }
            scripts.add(new Replay.Script(row[0], row[3]));
        }
        if (config.dataSource() != null) {
            return DriftReport.unchecked(config.maskedUrl(), "configured with a DataSource: the scratch database needs a URL");
        }
        Set<String> ours = new java.util.HashSet<>(Set.of(config.table(), config.lockTable(), config.logTable()));
        // the history tables of the tools `import` takes over from stay behind after it: no part of the application's schema
        for (dev.switchback.migration.foreign.ForeignTool tool : dev.switchback.migration.foreign.ForeignTool.values()) {
            ours.addAll(tool.defaultTables());
        }
        ours.addAll(Set.of("databasechangeloglock", "ar_internal_metadata"));
        Properties props = new Properties();
        if (config.user() != null) {
            props.setProperty("user", config.user());
        }
        if (config.password() != null) {
            props.setProperty("password", config.password());
        }
        Schema expected = Replay.expected(db.dialect.name(), db.connection, Database.mysqlViaMariaDb(config.url()), props,
                db.dialect.flavor(), scripts, ours);
        Schema actual = SchemaInspector.forDialect(db.dialect.name()).inspect(db.connection, ours);
        List<Difference> differences = SchemaDiff.between(expected, actual);
        Map<String, String> textDiffs = new LinkedHashMap<>();
        for (Difference d : differences) {
            if (d.change() == Difference.Change.CHANGED && d.expected().definition().contains("\n")) {
                textDiffs.put(d.object().label(), UnifiedDiff.of(d.expected().definition() + "\n", d.actual().definition() + "\n",
                        "in the migrations", "in the database"));
            }
        }
        return new DriftReport(config.maskedUrl(), null, differences, expected.hash(), actual.hash(), textDiffs);
    }
}

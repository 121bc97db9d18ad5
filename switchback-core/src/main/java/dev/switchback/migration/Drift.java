package dev.switchback.migration;

import dev.switchback.migration.schema.Difference;
import dev.switchback.migration.schema.DriftIgnore;
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
 * up SQL in order into a scratch database (see {@link Replay}), or kept from the last migrate or rollback (see
 * {@link SchemaSnapshot}). Switchback's own tables are not compared.
 */
final class Drift {
    private Drift() {
    }

    static DriftReport of(MigrationConfig config, boolean replay, DriftIgnore ignore) {
        if (Database.isMissingSqliteFile(config)) {
            return DriftReport.unchecked(config.maskedUrl(), "the database file does not exist yet");
        }
        try (Database db = Database.open(config)) {
            return check(db, replay, ignore);
        }
    }

    /**
     * The check on an open database: against the schema snapshot of the current history when there is one and
     * {@code replay} is false, else against a replay; a script that cannot be replayed throws (FAILED) naming it.
     */
    static DriftReport check(Database db, boolean replay, DriftIgnore ignore) {
        MigrationConfig config = db.config;
        Set<String> ours = SchemaSnapshot.excludedTables(config);
        if (!replay) {
            DriftReport bySnapshot = againstSnapshot(db, ignore);
            if (bySnapshot != null) {
                return bySnapshot;
            }
        }
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
        Properties props = new Properties();
        if (config.user() != null) {
            props.setProperty("user", config.user());
        }
        if (config.password() != null) {
            props.setProperty("password", config.password());
        }
        Schema expected = Replay.expected(db.dialect.name(), db.connection, Database.mysqlViaMariaDb(config.url()), props,
                db.dialect.flavor(), scripts, ours);
        return compare(db, expected, SchemaInspector.forDialect(db.dialect.name()).inspect(db.connection, ours), DriftReport.FROM_REPLAY,
                ignore);
    }

    /** The check against the snapshot of the current history, or null when there is none (nothing is replayed). */
    static DriftReport againstSnapshot(Database db, DriftIgnore ignore) {
        SchemaSnapshot.Stored stored = SchemaSnapshot.current(db);
        return stored == null ? null : against(db, stored, ignore);
    }

    /**
     * Against a snapshot: when the catalog's fingerprint is the one taken with it, it is clean without reading the
     * schema; when the live schema hashes as it did, it is clean without reading the snapshot's objects.
     */
    static DriftReport against(Database db, SchemaSnapshot.Stored stored, DriftIgnore ignore) {
        Set<String> ours = SchemaSnapshot.excludedTables(db.config);
        SchemaInspector inspector = SchemaInspector.forDialect(db.dialect.name());
        String catalog = stored.row().catalog();
        try {
            if (catalog != null && catalog.equals(inspector.catalogFingerprint(db.connection))) {
                String hash = stored.row().hash();
                return new DriftReport(db.config.maskedUrl(), null, List.of(), hash, hash, Map.of(), DriftReport.FROM_SNAPSHOT);
            }
        } catch (SQLException e) {
            // read the schema in full below, which reports a catalog that cannot be read
        }
        Schema actual = inspector.inspect(db.connection, ours);
        if (actual.hash().equals(stored.row().hash())) {
            return new DriftReport(db.config.maskedUrl(), null, List.of(), actual.hash(), actual.hash(), Map.of(), DriftReport.FROM_SNAPSHOT);
        }
        try {
            return compare(db, stored.schema(), actual, DriftReport.FROM_SNAPSHOT, ignore);
        } catch (IllegalArgumentException e) {
            throw new SwitchbackException(ErrorCode.FAILED, "The schema snapshot " + stored.row().id() + " cannot be read ("
                    + e.getMessage() + "); 'drift --replay' checks without it", e);
        }
    }

    private static DriftReport compare(Database db, Schema expected, Schema actual, String from, DriftIgnore ignore) {
        List<Difference> differences = ignore.filter(SchemaDiff.between(expected, actual));
        Map<String, String> textDiffs = new LinkedHashMap<>();
        for (Difference d : differences) {
            if (d.change() == Difference.Change.CHANGED && d.expected().definition().contains("\n")) {
                textDiffs.put(d.object().label(), UnifiedDiff.of(d.expected().definition() + "\n", d.actual().definition() + "\n",
                        "in the migrations", "in the database"));
            }
        }
        return new DriftReport(db.config.maskedUrl(), null, differences, expected.hash(), actual.hash(), textDiffs, from);
    }
}

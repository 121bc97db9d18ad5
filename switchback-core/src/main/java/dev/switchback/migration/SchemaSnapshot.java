package dev.switchback.migration;

import dev.switchback.migration.foreign.ForeignTool;
import dev.switchback.migration.history.SchemaSnapshots;
import dev.switchback.migration.schema.Schema;
import dev.switchback.migration.schema.SchemaInspector;
import dev.switchback.migration.schema.SchemaText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.util.HashSet;
import java.util.Set;

/**
 * The expected schema kept at migrate time: taken once at the end of a migrate or rollback that changed something (never
 * on the up-to-date path), and valid only for the history it was taken with (see {@link SchemaSnapshots}).
 */
final class SchemaSnapshot {
    private static final Logger log = LoggerFactory.getLogger(SchemaSnapshot.class);

    /** A stored snapshot that belongs to the current history; its schema is read and decoded on first use. */
    static final class Stored {
        private final SchemaSnapshots.Snapshot row;
        private final Database db;
        private Schema schema;

        Stored(SchemaSnapshots.Snapshot row, Database db) {
            this.row = row;
            this.db = db;
        }

        SchemaSnapshots.Snapshot row() {
            return row;
        }

        Schema schema() {
            if (schema == null) {
                try {
                    String text = new SchemaSnapshots(db.dialect, db.config.table()).text(db.connection, row.id());
                    if (text == null) {
                        throw new SwitchbackException(ErrorCode.FAILED, "The schema snapshot " + row.id()
                                + " was replaced while it was read; run the check again");
                    }
                    schema = SchemaText.decode(text);
                } catch (SQLException e) {
                    throw new SwitchbackException(ErrorCode.FAILED, "Cannot read the schema snapshot: " + Database.oneLine(e), e);
                }
            }
            return schema;
        }
    }

    private SchemaSnapshot() {
    }

    /** Switchback's own tables and the history tables of the tools {@code import} reads: no part of the application's schema. */
    static Set<String> excludedTables(MigrationConfig config) {
        Set<String> ours = new HashSet<>(Set.of(config.table(), config.lockTable(), config.logTable(),
                SchemaSnapshots.tableFor(config.table())));
        // they stay behind after an import
        for (ForeignTool tool : ForeignTool.values()) {
            ours.addAll(tool.defaultTables());
        }
        ours.addAll(Set.of("databasechangeloglock", "ar_internal_metadata"));
        return ours;
    }

    /**
     * Inspects and stores the live schema as the one {@code version} has. A failure is logged, not thrown: the
     * migrations are committed by then, and drift falls back to replaying them.
     */
    static void take(Database db, String version) {
        long started = System.nanoTime();
        try {
            db.connection.setAutoCommit(true);
            SchemaSnapshots snapshots = new SchemaSnapshots(db.dialect, db.config.table());
            snapshots.create(db.connection); // before the catalog fingerprint: the table is in the catalog too
            SchemaInspector inspector = SchemaInspector.forDialect(db.dialect.name());
            String catalog = inspector.catalogFingerprint(db.connection);
            Schema schema = inspector.inspect(db.connection, excludedTables(db.config));
            // a change by another session while it was read: no fingerprint, so drift reads the schema in full
            if (catalog != null && !catalog.equals(inspector.catalogFingerprint(db.connection))) {
                catalog = null;
            }
            String history = db.history.planFingerprint(db.connection);
            snapshots.save(db.connection, version, schema.hash(), history, catalog, SchemaText.encode(schema));
            log.info("Schema snapshot at version {} taken in {} ms ({} objects, sha256:{})", version,
                    Migrate.elapsedMs(started), schema.objects().size(), schema.hash().substring(0, 16));
        } catch (SQLException | RuntimeException e) {
            log.warn("Could not store the schema snapshot at version {}: {}. drift and verify will replay the migrations "
                    + "instead (slower).", version, Database.oneLine(e));
        }
    }

    /** The newest snapshot when it was taken with the history the database has now, else null. */
    static Stored current(Database db) {
        try {
            SchemaSnapshots.Snapshot row = new SchemaSnapshots(db.dialect, db.config.table()).latest(db.connection);
            if (row == null) {
                return null;
            }
            if (row.format() != SchemaInspector.FORMAT) {
                log.debug("The schema snapshot of version {} was read by inspector format {} (now {}): not used",
                        row.version(), row.format(), SchemaInspector.FORMAT);
                return null;
            }
            String history = db.history.planFingerprint(db.connection);
            if (!row.history().equals(history)) {
                log.debug("The schema snapshot of version {} belongs to another history ({} now {}): not used",
                        row.version(), row.history(), history);
                return null;
            }
            return new Stored(row, db);
        } catch (SQLException e) {
            log.warn("Cannot read the schema snapshot: {}; replaying the migrations instead", Database.oneLine(e));
            return null;
        }
    }
}

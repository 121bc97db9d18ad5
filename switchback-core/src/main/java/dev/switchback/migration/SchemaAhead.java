package dev.switchback.migration;

import dev.switchback.migration.schema.DriftIgnore;

import java.util.concurrent.CompletableFuture;

/**
 * The schema part of a status (the snapshot's version and hash, and whether the live schema drifted from it), read on
 * a second connection while the first reads the history. Its longest part is the catalog's fingerprint, about 70 ms of
 * server time with 2,000 tables: a no-op {@code migrate} or {@code status} waited for it after the history and the
 * lock were read; on a connection of its own it is read meanwhile. Started only where the status reads a schema that
 * nothing changes in between (status, and a migrate that may find nothing to do) and only for a server reached by
 * URL: an application's DataSource may be a pool of one connection, and SQLite's check takes no time. When the second
 * connection cannot be had (a server at its connection limit, say), or the read fails, {@link #join} says so and the
 * status reads the schema on its own connection as before.
 */
final class SchemaAhead {
    private final CompletableFuture<StatusReport.SchemaState> state = new CompletableFuture<>();

    private SchemaAhead() {
    }

    /** Starts the read beside {@code db}'s connection, or returns null where it is not worth a second connection. */
    static SchemaAhead start(Database db, DriftIgnore ignore) {
        if (db.config.dataSource() != null || Database.sqliteFile(db.config) != null || SqliteUrl.is(db.config.url())) {
            return null;
        }
        SchemaAhead ahead = new SchemaAhead();
        Thread t = new Thread(() -> {
            try (Database second = db.sibling()) {
                ahead.state.complete(Status.schemaState(second, ignore));
            } catch (Throwable e) { // read on the first connection instead, which reports what failed
                ahead.state.complete(null);
            }
        }, "switchback-schema");
        t.setDaemon(true);
        t.start();
        return ahead;
    }

    /** The schema state read beside, or null when it could not be: the caller reads it on its own connection. */
    StatusReport.SchemaState join() {
        return state.join();
    }
}

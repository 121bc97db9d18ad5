package dev.switchback.migration;

import dev.switchback.migration.schema.DriftIgnore;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The schema part of a status (the snapshot's version and hash, and whether the live schema drifted from it), read on
 * a second connection while the first reads the history. Its longest part is the catalog's fingerprint, about 70 ms of
 * server time with 2,000 tables: a no-op {@code migrate} or {@code status} waited for it after the history and the
 * lock were read; on a connection of its own it is read meanwhile.
 * <p>
 * Only in the command line's fresh process ({@link CommandLineProcess}), only where the status reads a schema nothing
 * changes in between (status, and a migrate that finds the files and settings of its last up-to-date check), and only
 * for one server reached by URL: an application's DataSource may be a pool of one connection, SQLite's check takes no
 * time, and with several hosts the second connection could reach another one. Whatever goes wrong with it, the status
 * reads the schema on its own connection as before, which then reports what is wrong: a second connection refused (a
 * connection limit), a read that failed or found no snapshot, or no answer within {@link #WAIT_MS} (a pooler that
 * queues the second connection's queries behind the first); its connection is then closed, a query in progress with it.
 */
final class SchemaAhead {
    /** How long a status waits for the answer before it reads the schema itself. */
    static final long WAIT_MS = 5_000;

    private final CompletableFuture<StatusReport.SchemaState> state = new CompletableFuture<>();
    private final long waitMs;
    private volatile Connection connection;
    private volatile boolean abandoned;

    private SchemaAhead(long waitMs) {
        this.waitMs = waitMs;
    }

    /** Starts the read beside {@code db}'s connection, or returns null where a second connection is not worth it. */
    static SchemaAhead start(Database db, DriftIgnore ignore) {
        MigrationConfig config = db.config;
        if (!CommandLineProcess.active() || config.dataSource() != null || Database.sqliteFile(config) != null
                || SqliteUrl.is(config.url()) || severalHosts(config.url())) {
            return null;
        }
        return start(db, ignore, WAIT_MS);
    }

    /** {@link #start(Database, DriftIgnore)} wherever asked, with {@code waitMs} for {@link #WAIT_MS}. */
    static SchemaAhead start(Database db, DriftIgnore ignore, long waitMs) {
        SchemaAhead ahead = new SchemaAhead(waitMs);
        Thread t = new Thread(() -> {
            try (Database second = db.sibling()) {
                ahead.connection = second.connection;
                if (!ahead.abandoned) {
                    StatusReport.SchemaState s = Status.schemaState(second, ignore);
                    // no snapshot, or drift that could not be told: read again on the first connection, which says why
                    ahead.state.complete(s.drift() == null ? null : s);
                }
            } catch (Throwable e) {
                ahead.state.complete(null);
            } finally {
                ahead.state.complete(null);
            }
        }, "switchback-schema");
        t.setDaemon(true);
        t.start();
        return ahead;
    }

    /** Whether the URL names more than one host, or asks the driver to spread connections over them. */
    static boolean severalHosts(String url) {
        if (url == null) {
            return false;
        }
        int start = url.indexOf("//");
        int end = start < 0 ? -1 : url.indexOf('/', start + 2);
        String hosts = start < 0 ? "" : end < 0 ? url.substring(start + 2) : url.substring(start + 2, end);
        return hosts.indexOf(',') >= 0 || Secrets.containsIgnoreCase(url, "loadbalancehosts=true");
    }

    /**
     * The schema state read beside, or null when the caller is to read it on its own connection: it could not be read
     * there, or not within {@link #WAIT_MS} (the second connection is then closed).
     */
    StatusReport.SchemaState join() {
        try {
            return state.get(waitMs, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            abandon();
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            abandon();
            return null;
        } catch (ExecutionException e) {
            return null;
        }
    }

    /** Not needed after all: its connection is closed now, or as soon as it is open, a query in progress with it. */
    void abandon() {
        abandoned = true;
        Connection c = connection;
        if (c != null) {
            try {
                c.abort(Runnable::run);
            } catch (SQLException | RuntimeException e) {
                // closed already
            }
        }
    }
}

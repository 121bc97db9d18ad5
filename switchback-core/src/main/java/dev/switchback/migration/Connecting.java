package dev.switchback.migration;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;

/**
 * A connection being opened, and something read on it, on a thread of its own while the caller checks the files: in
 * a start-up check with nothing to do the two take about as long. The caller joins it, or abandons it when the files
 * stop the run (the connection is then closed as soon as it is open).
 *
 * @param <T> what the thread hands over: the connection and what it read on it
 */
final class Connecting<T> {
    private final CompletableFuture<T> done = new CompletableFuture<>();
    private final Function<T, Database> database;

    private Connecting(Function<T, Database> database) {
        this.database = database;
    }

    /**
     * Opens a connection to {@code config}'s database and applies {@code read} to it, on a new daemon thread.
     *
     * @param database the connection inside what {@code read} returns, closed when the caller abandons it
     */
    static <T> Connecting<T> start(MigrationConfig config, Function<Database, T> read, Function<T, Database> database) {
        Connecting<T> c = new Connecting<>(database);
        Thread t = new Thread(() -> {
            Database db;
            try {
                db = Database.open(config);
            } catch (Throwable e) {
                c.done.completeExceptionally(e);
                return;
            }
            try {
                c.done.complete(read.apply(db));
            } catch (Throwable e) { // the run stops, and the connection with it
                db.close();
                c.done.completeExceptionally(e);
            }
        }, "switchback-connect");
        t.setDaemon(true);
        t.start();
        return c;
    }

    /** What the thread read; what it threw is thrown here (a RuntimeException as it was). */
    T join() {
        try {
            return done.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw e;
        }
    }

    /** The caller stopped before using the connection: it is closed once open. */
    void abandon() {
        done.thenAccept(v -> database.apply(v).close());
    }
}

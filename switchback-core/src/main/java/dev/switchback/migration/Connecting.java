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

    /**
     * What the thread read; what it threw is thrown here (a RuntimeException as it was). While the thread is not done
     * yet, this one first loads what would otherwise be loaded later on one of the two ({@link #prepareMeanwhile}).
     */
    T join() {
        if (!done.isDone() && CommandLineProcess.active()) {
            prepareMeanwhile();
        }
        try {
            return done.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw e;
        }
    }

    private static final java.util.concurrent.atomic.AtomicBoolean PREPARED = new java.util.concurrent.atomic.AtomicBoolean();

    /**
     * In a fresh process, the JDK's locale and security data are loaded the first time something asks: the driver's
     * start-up (a calendar's week data and a number format, for the server's version) on the connecting thread, the
     * status's times and the lock key's SHA-256 on this one once connected. About 40 ms of CPU, on the path to the
     * answer either way; loaded here while this thread would only wait, they are ready when asked for. Once a process,
     * the command line's only ({@link CommandLineProcess}: an application may set its time zone or locale later), and
     * nothing but what the JDK caches anyway; what fails here is asked for again where it is needed, which reports it.
     */
    private static void prepareMeanwhile() {
        if (!PREPARED.compareAndSet(false, true)) {
            return;
        }
        try {
            java.text.NumberFormat.getIntegerInstance();
            new java.util.GregorianCalendar();
            java.time.format.DateTimeFormatter.ISO_INSTANT.format(java.time.Instant.EPOCH);
            java.security.MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException | RuntimeException | LinkageError e) {
            // asked for again where needed
        }
    }

    /** The caller stopped before using the connection: it is closed once open. */
    void abandon() {
        done.thenAccept(v -> database.apply(v).close());
    }
}

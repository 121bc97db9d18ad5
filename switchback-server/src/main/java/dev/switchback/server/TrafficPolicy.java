package dev.switchback.server;

import dev.switchback.deploy.Slot;
import io.netty.handler.codec.http.HttpRequest;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Which release gets a request, or whether the router answers it itself: maintenance, a pause holding requests, the
 * slot routed to. Read on every request without a lock (volatile fields); changed by the deployer from any thread.
 */
final class TrafficPolicy {
    private final ScheduledExecutorService timer;
    private volatile Origin active;
    private volatile boolean maintenance;
    private volatile String maintenanceMessage;
    // guarded by itself: connections holding a request while paused
    private final ArrayDeque<ClientConnection> held = new ArrayDeque<>();
    private volatile boolean paused;
    private long pauseGeneration;

    TrafficPolicy(ScheduledExecutorService timer) {
        this.timer = timer;
    }

    /** The release for {@code request}; null when none is routed to. */
    Origin choose(HttpRequest request) {
        return active;
    }

    /** Whether requests may still go to {@code address} (so a connection to it is worth keeping). */
    boolean routes(InetSocketAddress address) {
        Origin now = active;
        return now != null && now.address().equals(address);
    }

    /** From the next request on, traffic goes to {@code port}; returns the address now routed to (null for none). */
    InetSocketAddress route(Slot slot, Integer port) {
        Origin next = slot == null || port == null ? null : new Origin(slot, new InetSocketAddress("127.0.0.1", port));
        active = next;
        return next == null ? null : next.address();
    }

    boolean maintenance() {
        return maintenance;
    }

    String maintenanceMessage() {
        return maintenanceMessage;
    }

    void maintenance(boolean on, String message) {
        maintenanceMessage = message;
        maintenance = on;
    }

    boolean paused() {
        return paused;
    }

    /** While paused, {@code connection} keeps {@code request} until {@link #resume()} or the pause runs out. */
    boolean hold(ClientConnection connection, HttpRequest request) {
        if (!paused) {
            return false;
        }
        synchronized (held) {
            if (!paused) {
                return false;
            }
            connection.hold(request);
            held.add(connection);
            return true;
        }
    }

    void pause(Duration max) {
        long generation;
        synchronized (held) {
            paused = true;
            generation = ++pauseGeneration;
        }
        timer.schedule(() -> {
            // whatever is still held when the pause runs out gets a 503, never an endless wait
            synchronized (held) {
                if (!paused || generation != pauseGeneration) {
                    return;
                }
                paused = false;
                releaseHeld(true);
            }
        }, Math.max(1, max.toMillis()), TimeUnit.MILLISECONDS);
    }

    void resume() {
        synchronized (held) {
            paused = false;
            releaseHeld(false);
        }
    }

    // with the lock held
    private void releaseHeld(boolean refuse) {
        for (ClientConnection c : held) {
            c.loop().execute(() -> c.release(refuse));
        }
        held.clear();
    }
}

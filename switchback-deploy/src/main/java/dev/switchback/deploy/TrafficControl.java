package dev.switchback.deploy;

import java.time.Duration;

/** What the deployer needs from the router. */
public interface TrafficControl {

    /** From the next request on, traffic goes to {@code port} (tagged {@code slot}); null stops routing. */
    void route(Slot slot, Integer port);

    /**
     * From the next request on, {@code weight} percent (0-100) of clients go to {@code canary} (at {@code canaryPort}),
     * the rest to the slot {@link #route routed} to; {@code sticky} keeps a client on its side for the rollout named
     * {@code rollout} (its cookies mean nothing to another rollout). Weight 0 sends everything to the routed slot at
     * once, whatever the cookies say; a null canary ends the split. Requests in flight finish where they started.
     */
    void split(Slot canary, Integer canaryPort, int weight, Stickiness sticky, String rollout);

    /**
     * The ports of {@code slot}'s instances that may serve now ({@code deploy.service.replicas}): while the slot is routed
     * (or takes a canary's share) its requests are balanced over them by least outstanding requests, from the next request
     * on. Empty: the port routed to alone. A port routed to later joins the list (it has just passed its health gate).
     */
    default void instances(Slot slot, java.util.List<Integer> ports) {
    }

    /**
     * A rolling update: from the next request on, the serving instances of {@code slot} share the routed slot's requests
     * (one pool, least outstanding requests); null ends it.
     */
    default void join(Slot slot) {
    }

    /** Requests in flight on the instance of {@code slot} at {@code port} (one of several: see {@link #instances}). */
    default int inFlight(Slot slot, int port) {
        return inFlight(slot);
    }

    /** What the router saw of {@code slot} since it started (requests, errors, latencies); subtract two for a window. */
    SlotTraffic traffic(Slot slot);

    /** Requests to {@code slot} still in flight. */
    int inFlight(Slot slot);

    void maintenance(boolean on, String message);

    /** Holds new requests (up to {@code max}, then 503) until {@link #resume()}. */
    void pause(Duration max);

    void resume();

    default boolean awaitDrained(Slot slot, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (inFlight(slot) > 0) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Supervisor.sleep(20);
        }
        return true;
    }
}

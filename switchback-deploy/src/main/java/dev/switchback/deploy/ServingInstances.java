package dev.switchback.deploy;

import dev.switchback.deploy.workers.WorkerSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * With {@code deploy.service.replicas} above 1, tells the router slot by slot which web instances may serve: the slot's
 * own process (instance 0) while it runs and is not recorded failed, and the replicas that passed their health gate and
 * still run. It looks every {@link #EVERY_MS} ms, so an instance that dies leaves the pool within that; meanwhile the
 * router gives a request whose connection an instance refuses to another instance of the slot.
 */
final class ServingInstances implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ServingInstances.class);
    static final long EVERY_MS = 50;
    private final StateStore store;
    private final WorkerSet workers;
    private final TrafficControl traffic;
    /** What the router was told last, per slot; guarded by this. */
    private final Map<Slot, List<Integer>> told = new EnumMap<>(Slot.class);
    /** Ports of instances being drained to stop them (a rolling update): no longer offered to the router. */
    private final java.util.Set<Integer> withdrawn = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private ScheduledExecutorService timer;

    ServingInstances(StateStore store, WorkerSet workers, TrafficControl traffic) {
        this.store = store;
        this.workers = workers;
        this.traffic = traffic;
    }

    /** Starts looking (idempotent). */
    synchronized void start() {
        if (timer != null) {
            return;
        }
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "switchback-instances");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::look, 0, EVERY_MS, TimeUnit.MILLISECONDS);
    }

    /** The ports of the slot's replicas serving now (instance 0 not counted). */
    int replicasServing(Slot slot) {
        return workers.runsWebReplicas() ? workers.servingPorts(slot).size() : 0;
    }

    /**
     * What serves while {@code slot}'s instance 0 is down: its replicas, and each instance of the slot the router pools
     * with it during a rolling update ({@code joined}, null when there is none).
     */
    int othersServing(Slot slot, Slot joined) {
        int n = replicasServing(slot);
        if (joined != null && joined != slot) {
            synchronized (this) {
                n += told.getOrDefault(joined, List.of()).size();
            }
        }
        return n;
    }

    /** The instance at {@code port} leaves the pool from the next request on (it is to be drained and stopped). */
    void withdraw(int port) {
        withdrawn.add(port);
        start();
        look();
    }

    /** The instance at {@code port} was stopped: a new one given the same port may serve. */
    void stopped(int port) {
        withdrawn.remove(port);
    }

    /** Looks now, not at the next tick (an instance just passed its gate or is to be drained). */
    synchronized void look() {
        try {
            DeploymentState st = store.read();
            for (Slot slot : Slot.values()) {
                SlotState own = st.slot(slot);
                List<Integer> ports = new ArrayList<>();
                if (own.state() != SlotStatus.FAILED && own.state() != SlotStatus.STARTING && own.port() != null && own.running()) {
                    ports.add(own.port());
                }
                ports.addAll(workers.servingPorts(slot));
                ports.removeAll(withdrawn);
                if (!ports.equals(told.get(slot))) {
                    traffic.instances(slot, ports);
                    told.put(slot, ports);
                    log.info("Instances of {} serving: ports {}", slot.id(), ports);
                }
            }
        } catch (RuntimeException e) {
            log.warn("Could not tell the router which instances serve: {}", e.getMessage());
        }
    }

    @Override
    public void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}

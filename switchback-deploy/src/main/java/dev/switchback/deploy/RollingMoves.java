package dev.switchback.deploy;

import dev.switchback.deploy.rollout.InstanceMoves;
import dev.switchback.deploy.workers.WorkerProcess;
import dev.switchback.deploy.workers.WorkerSet;
import dev.switchback.deploy.workers.WorkerSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import java.util.function.Predicate;

/**
 * The deployer's side of a rolling update: instance 0 of a slot is its own process in state.json, the others are the web
 * replicas and the workers in workers.json. Everything runs under the deployer's lock (the rollout engine holds it).
 */
final class RollingMoves implements InstanceMoves {
    private static final Logger log = LoggerFactory.getLogger(RollingMoves.class);
    private final DeployConfig config;
    private final StateStore store;
    private final Supervisor supervisor;
    private final HealthGate gate;
    private final WorkerSet workers;
    private final ServingInstances serving;
    private final TrafficControl traffic;
    private final DeploymentHistory history;
    /** The deployer's switch: routes the slot, records it active and the other one standby (or stopped). */
    private final BiConsumer<Slot, SlotState> route;

    RollingMoves(DeployConfig config, StateStore store, Supervisor supervisor, HealthGate gate, WorkerSet workers,
                 ServingInstances serving, TrafficControl traffic, DeploymentHistory history, BiConsumer<Slot, SlotState> route) {
        this.config = config;
        this.store = store;
        this.supervisor = supervisor;
        this.gate = gate;
        this.workers = workers;
        this.serving = serving;
        this.traffic = traffic;
        this.history = history;
        this.route = route;
    }

    @Override
    public int replicas() {
        return workers.webReplicas();
    }

    @Override
    public SortedMap<Integer, Boolean> web(Slot slot) {
        SortedMap<Integer, Boolean> out = new TreeMap<>();
        SlotState own = store.read().slot(slot);
        if (own.running()) {
            out.put(0, own.state() != SlotStatus.STARTING && own.state() != SlotStatus.FAILED);
        }
        List<Integer> ports = workers.servingPorts(slot);
        for (WorkerProcess p : workers.list(slot)) {
            if (p.name().equals(WorkerSettings.WEB) && p.running()) {
                out.put(p.instance(), ports.contains(p.port()));
            }
        }
        return out;
    }

    @Override
    public String startWeb(Slot slot, String release, int n) {
        if (n > 0) {
            String failed = workers.startAndGate(slot, release, config.healthTimeout(), WorkerSettings::web, i -> i == n);
            serving.look();
            return failed;
        }
        SlotState s = store.read().slot(slot);
        if (!(release.equals(s.release()) && s.running())) {
            s = supervisor.start(slot, release);
            store.write(store.read().with(slot, s));
        }
        HealthGate.Result h = gate.await(s, config.healthTimeout(), config.healthInterval());
        if (!h.healthy() || !s.running()) {
            supervisor.stop(s);
            store.write(store.read().with(slot, s.stopped(SlotStatus.FAILED)));
            history.append("rolling", null, slot, release, "unhealthy", h.reason());
            return release + " (instance 0 in " + slot.id() + ") did not become healthy: " + h.reason();
        }
        Slot active = store.read().activeSlot();
        store.write(store.read().with(slot, s.withState(slot == active ? SlotStatus.ACTIVE : SlotStatus.ROLLING)));
        serving.start();
        serving.look();
        return null;
    }

    @Override
    public void stopWeb(Slot slot, int n) {
        SlotState own = store.read().slot(slot);
        WorkerProcess replica = workers.list(slot).stream().filter(p -> p.name().equals(WorkerSettings.WEB) && p.instance() == n)
                .findFirst().orElse(null);
        Integer port = n == 0 ? own.port() : replica == null ? null : replica.port();
        if (port != null) {
            serving.withdraw(port);
            drain(slot, port);
        }
        if (n == 0) {
            supervisor.stop(own);
            DeploymentState st = store.read();
            store.write(st.with(slot, st.slot(slot).stopped(SlotStatus.STOPPED)));
        } else {
            workers.stop(slot, p -> p.name().equals(WorkerSettings.WEB) && p.instance() == n);
        }
        if (port != null) {
            serving.stopped(port);
        }
        log.info("Rolling update: web instance {} of {} in {} drained and stopped", n, own.release(), slot.id());
    }

    private void drain(Slot slot, int port) {
        // a request that picked the instance just before it was withdrawn counts itself within one refresh tick
        Supervisor.sleep(ServingInstances.EVERY_MS);
        long deadline = System.nanoTime() + config.drainTimeout().toNanos();
        while (traffic.inFlight(slot, port) > 0 && System.nanoTime() < deadline) {
            Supervisor.sleep(20);
        }
    }

    @Override
    public String startWorkers(Slot slot, String release, boolean critical, String name, int n) {
        return workers.startAndGate(slot, release, config.healthTimeout(), picks(critical, name),
                i -> name == null || i == n);
    }

    @Override
    public void stopWorkers(Slot slot, boolean critical, String name, int n) {
        Predicate<WorkerSettings> which = picks(critical, name);
        workers.stop(slot, p -> config.workers().stream().anyMatch(w -> w.name().equals(p.name()) && which.test(w))
                && (name == null || p.instance() == n));
    }

    @Override
    public boolean nonCriticalWorkers() {
        return config.workers().stream().anyMatch(w -> !w.web() && !w.critical());
    }

    @Override
    public List<String> criticalInstances() {
        List<String> out = new ArrayList<>();
        for (WorkerSettings w : config.workers()) {
            for (int i = w.firstInstance(); i < w.replicas() && w.critical() && !w.web(); i++) {
                out.add(w.name() + "#" + i);
            }
        }
        return out;
    }

    @Override
    public boolean runsWorkers(Slot slot, String name, int n) {
        return workers.list(slot).stream().anyMatch(p -> p.name().equals(name) && p.instance() == n && p.running());
    }

    @Override
    public void finish(Slot slot, String detail) {
        DeploymentState st = store.read();
        Slot from = st.activeSlot();
        SlotState s = st.slot(slot);
        if (from != slot) {
            route.accept(slot, s);
            history.append("rolling", from, slot, s.release(), "success", detail);
        } else {
            traffic.route(slot, s.port());
        }
        traffic.join(null);
    }

    private static Predicate<WorkerSettings> picks(boolean critical, String name) {
        return w -> !w.web() && w.critical() == critical && (name == null || w.name().equals(name));
    }
}

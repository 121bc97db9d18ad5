package dev.switchback.kubernetes;

import dev.switchback.deploy.Slot;
import dev.switchback.deploy.SlotTraffic;
import dev.switchback.deploy.TrafficControl;
import dev.switchback.migration.ErrorCode;
import dev.switchback.migration.SwitchbackException;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

/**
 * Traffic in the cluster: the router is the Gateway (or a Service), not us. Weights go to the cluster; counters come
 * from Prometheus. What only a router in the path can do (in-flight counts, maintenance answers, holding requests) is
 * not there: in-flight is reported as 0, the Gateway drains by itself.
 */
abstract class ClusterTraffic implements TrafficControl {
    private final PrometheusCounters counters;
    // the last reading per slot: a query that answers nothing repeats it, so a window sees no new requests
    private final Map<Slot, SlotTraffic> last = new EnumMap<>(Slot.class);
    /** The slot all traffic goes to outside a split. */
    Slot routed;

    ClusterTraffic(PrometheusCounters counters, Slot routed) {
        this.counters = counters;
        this.routed = routed;
    }

    /** Sends {@code weight} percent to {@code slot}, the rest to the other slot. */
    abstract void weights(Slot slot, int weight);

    @Override
    public void route(Slot slot, Integer port) {
        if (slot == null) {
            throw new SwitchbackException(ErrorCode.CONFIG, "On Kubernetes traffic always goes to a slot: nothing routes to none");
        }
        weights(slot, 100);
        routed = slot;
    }

    @Override
    public void split(Slot canary, Integer canaryPort, int weight, dev.switchback.deploy.Stickiness sticky, String rollout) {
        if (canary == null || weight == 0) {
            weights(routed, 100);
        } else {
            weights(canary, weight);
        }
    }

    @Override
    public synchronized SlotTraffic traffic(Slot slot) {
        if (counters == null) {
            return SlotTraffic.NONE;
        }
        counters.read(slot).ifPresent(t -> last.put(slot, t));
        return last.getOrDefault(slot, SlotTraffic.NONE);
    }

    @Override
    public int inFlight(Slot slot) {
        return 0;
    }

    @Override
    public void maintenance(boolean on, String message) {
        throw new SwitchbackException(ErrorCode.CONFIG, "Maintenance answers need Switchback's router in the path; on Kubernetes "
                + "use the Gateway's own means");
    }

    @Override
    public void pause(Duration max) {
        throw new SwitchbackException(ErrorCode.CONFIG, "Holding requests needs Switchback's router in the path; not on Kubernetes");
    }

    @Override
    public void resume() {
    }
}

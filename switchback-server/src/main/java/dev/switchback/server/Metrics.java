package dev.switchback.server;

import dev.switchback.deploy.DeployListener;
import dev.switchback.deploy.Slot;
import dev.switchback.deploy.SlotTraffic;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Function;
import java.util.function.IntSupplier;

/** Prometheus metrics of the daemon: the router's requests, switches, health checks, migrations. */
public final class Metrics implements DeployListener {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    /** The router's meters of one slot: found by one map lookup per request, without allocating. */
    private final class SlotMeters {
        final String slot;
        final Timer duration;
        final AtomicReferenceArray<Counter> byStatus = new AtomicReferenceArray<>(600);

        SlotMeters(String slot) {
            this.slot = slot;
            this.duration = Timer.builder("switchback.router.request.duration")
                    .description("request duration through the router, by slot").tag("slot", slot).register(registry);
        }

        Counter counter(int status) {
            int i = status >= 0 && status < 600 ? status : 0;
            Counter c = byStatus.get(i);
            if (c == null) {
                // a race registers the same meter twice, which Micrometer answers with the one it has
                c = Counter.builder("switchback.router.requests").description("requests through the router")
                        .tag("slot", slot).tag("status", String.valueOf(status)).register(registry);
                byStatus.set(i, c);
            }
            return c;
        }
    }

    private final Map<String, SlotMeters> router = new ConcurrentHashMap<>();

    void request(String slot, int status, long nanos) {
        SlotMeters m = router.get(slot);
        if (m == null) {
            m = router.computeIfAbsent(slot, SlotMeters::new);
        }
        m.counter(status).increment();
        m.duration.record(nanos, TimeUnit.NANOSECONDS);
    }

    /**
     * The router's own per-slot view, read at scrape time: the 99th percentile latency since the router started (from
     * its fixed histogram, about 4.5 % precise) and the canary's weight. A second router on the same metrics is not shown.
     */
    void routerTraffic(Function<Slot, SlotTraffic> traffic, IntSupplier canaryWeight) {
        for (Slot slot : Slot.values()) {
            Gauge.builder("switchback.router.latency.p99", () -> traffic.apply(slot).percentileNanos(0.99) / 1e9)
                    .description("99th percentile of request durations through the router since it started, by slot")
                    .baseUnit("seconds").tag("slot", slot.id()).register(registry);
        }
        Gauge.builder("switchback.router.canary.weight", canaryWeight::getAsInt)
                .description("percent of new clients the router sends to the canary slot (0: no split)").register(registry);
    }

    @Override
    public void migrated(long durationMs, int applied) {
        Timer.builder("switchback.migration.duration").description("time migrate took").register(registry)
                .record(Duration.ofMillis(durationMs));
        Counter.builder("switchback.migrations.applied").register(registry).increment(applied);
    }

    @Override
    public void migrationFailed(long durationMs) {
        Timer.builder("switchback.migration.duration").register(registry).record(Duration.ofMillis(durationMs));
        Counter.builder("switchback.migrations.failed").register(registry).increment();
    }

    @Override
    public void switched(Slot to) {
        Counter.builder("switchback.switches").description("traffic switches").tag("to", to.id()).register(registry).increment();
    }

    @Override
    public void healthCheckFailed(String release) {
        Counter.builder("switchback.health.check.failures").description("health gates a release failed").register(registry).increment();
    }

    @Override
    public void activeDied(String action) {
        Counter.builder("switchback.failovers").description("deaths of the active release, by what followed (standby, restart, none)")
                .tag("action", action).register(registry).increment();
    }

    String scrape() {
        return registry.scrape();
    }
}

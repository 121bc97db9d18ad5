package dev.switchback.server;

import dev.switchback.deploy.DeployListener;
import dev.switchback.deploy.Slot;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** Prometheus metrics of the daemon: the router's requests, switches, health checks, migrations. */
public final class Metrics implements DeployListener {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    // the meters of the router's hot path, looked up once per (slot, status) instead of built per request
    private final Map<String, Counter> requests = new ConcurrentHashMap<>();
    private final Map<String, Timer> durations = new ConcurrentHashMap<>();

    void request(String slot, int status, long nanos) {
        requests.computeIfAbsent(slot + ' ' + status, k -> Counter.builder("switchback.router.requests")
                .description("requests through the router").tag("slot", slot).tag("status", String.valueOf(status))
                .register(registry)).increment();
        durations.computeIfAbsent(slot, k -> Timer.builder("switchback.router.request.duration")
                .description("request duration through the router, by slot").tag("slot", slot).register(registry))
                .record(nanos, TimeUnit.NANOSECONDS);
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

    String scrape() {
        return registry.scrape();
    }
}

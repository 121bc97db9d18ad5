package dev.switchback.kubernetes;

import dev.switchback.migration.SettingKey;

/**
 * The settings of {@code deploy.runtime: kubernetes}. Plain data: the CLI lists them among the known keys without
 * loading one class of the Kubernetes client.
 */
public enum KubernetesSetting implements SettingKey {
    // deploy.runtime lives here, not in DeploySetting, so the local runtime's settings stay as they were
    RUNTIME(Spec.of("deploy.runtime", "local", "local (processes on this host behind the router) or kubernetes")),
    NAMESPACE(Spec.of("deploy.kubernetes.namespace", null, "the namespace (default: the kubeconfig's)")),
    NAME(Spec.of("deploy.kubernetes.name", null, "Deployments <name>-blue / <name>-green, Services of the same names")),
    DEPLOYMENT(Spec.of("deploy.kubernetes.deployment", null, "a Deployment manifest as template; ${RELEASE} in its image tag")),
    SERVICE_PORT(Spec.of("deploy.kubernetes.servicePort", "8080", "the port the slots' Services expose and target")),
    HTTP_ROUTE(Spec.of("deploy.kubernetes.httpRoute", null, "a Gateway API HTTPRoute whose rule carries the weights; "
            + "without one, blue-green switches the selector of the Service <name>")),
    HTTP_ROUTE_RULE(Spec.of("deploy.kubernetes.httpRouteRule", "0", "the index of the route's rule with the blue/green backendRefs")),
    MIGRATIONS(Spec.of("deploy.kubernetes.migrations", "local", "local: migrate from where the command runs; job: a Kubernetes Job "
            + "from the release's image runs migrateCommand with the template's env")),
    MIGRATE_COMMAND(Spec.of("deploy.kubernetes.migrateCommand", "switchback migrate", "the migration Job's command (split on spaces)")),
    MIGRATE_TIMEOUT(Spec.of("deploy.kubernetes.migrateTimeout", "10m", "how long the migration Job may take (also its activeDeadlineSeconds)")),
    PROMETHEUS(Spec.of("deploy.analysis.prometheus.url", null, "Prometheus for the canary's counters, e.g. http://prometheus:9090")),
    PROMETHEUS_REQUESTS(Spec.of("deploy.analysis.prometheus.requests",
            "sum(http_server_requests_seconds_count{namespace=\"${NAMESPACE}\",pod=~\"${DEPLOYMENT}-.*\"})",
            "a PromQL counter of a slot's requests (${NAMESPACE}, ${DEPLOYMENT}, ${SLOT} expanded)")),
    PROMETHEUS_ERRORS(Spec.of("deploy.analysis.prometheus.errors",
            "sum(http_server_requests_seconds_count{namespace=\"${NAMESPACE}\",pod=~\"${DEPLOYMENT}-.*\",status=~\"5..\"})",
            "a PromQL counter of a slot's 5xx answers")),
    PROMETHEUS_LATENCY(Spec.of("deploy.analysis.prometheus.latency",
            "sum by (le) (http_server_requests_seconds_bucket{namespace=\"${NAMESPACE}\",pod=~\"${DEPLOYMENT}-.*\"})",
            "a PromQL histogram (by le, in seconds) of a slot's latencies; empty turns the latency check off"));

    private final Spec spec;

    KubernetesSetting(Spec spec) {
        this.spec = spec;
    }

    @Override
    public Spec spec() {
        return spec;
    }
}

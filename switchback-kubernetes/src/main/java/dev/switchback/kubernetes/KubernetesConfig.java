package dev.switchback.kubernetes;

import dev.switchback.migration.ErrorCode;
import dev.switchback.migration.Settings;
import dev.switchback.migration.SwitchbackException;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code deploy.kubernetes.*} and {@code deploy.analysis.prometheus.*}, validated once, every problem reported together.
 *
 * @param namespace  null: the kubeconfig's (or the pod's, in the cluster)
 * @param httpRoute  null: no Gateway, blue-green by a Service's selector
 * @param prometheus null: no counters, so a canary never passes its analysis
 */
public record KubernetesConfig(String namespace, String name, Path template, int servicePort, String httpRoute, int httpRouteRule,
                               Migrations migrations, List<String> migrateCommand, Duration migrateTimeout, URI prometheus,
                               String requestsQuery, String errorsQuery, String latencyQuery) {
    /** Where a perform's migrations run. */
    public enum Migrations { LOCAL, JOB }

    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,50}[a-z0-9])?");

    public static boolean kubernetes(Map<KubernetesSetting, String> given) {
        return "kubernetes".equals(String.valueOf(given.getOrDefault(KubernetesSetting.RUNTIME, "local")).strip());
    }

    public static KubernetesConfig from(Map<KubernetesSetting, String> given, Path baseDir) {
        Map<KubernetesSetting, String> v = new EnumMap<>(KubernetesSetting.class);
        for (KubernetesSetting s : KubernetesSetting.values()) {
            if (s.defaultValue() != null) {
                v.put(s, s.defaultValue());
            }
        }
        v.putAll(given);
        List<String> problems = new ArrayList<>();
        String runtime = v.get(KubernetesSetting.RUNTIME).strip();
        if (!List.of("local", "kubernetes").contains(runtime)) {
            problems.add("deploy.runtime '" + runtime + "' is not one of local, kubernetes");
        }
        String name = v.get(KubernetesSetting.NAME);
        if (name == null || !DNS_LABEL.matcher(name.strip()).matches()) {
            problems.add("deploy.kubernetes.name must be a DNS label of at most 52 characters (it becomes <name>-green), was '" + name + "'");
        }
        String template = v.get(KubernetesSetting.DEPLOYMENT);
        Path file = template == null ? null : baseDir.resolve(template.strip()).normalize();
        if (file == null) {
            problems.add("deploy.kubernetes.deployment must name a Deployment manifest (the slots' template)");
        } else if (!Files.isReadable(file)) {
            problems.add("deploy.kubernetes.deployment " + file + " cannot be read");
        }
        int port = number(v.get(KubernetesSetting.SERVICE_PORT), "deploy.kubernetes.servicePort", 1, 65535, problems);
        int rule = number(v.get(KubernetesSetting.HTTP_ROUTE_RULE), "deploy.kubernetes.httpRouteRule", 0, 63, problems);
        String where = v.get(KubernetesSetting.MIGRATIONS).strip();
        Migrations migrations = where.equals("job") ? Migrations.JOB : Migrations.LOCAL;
        if (!List.of("local", "job").contains(where)) {
            problems.add("deploy.kubernetes.migrations '" + where + "' is not one of local, job");
        }
        List<String> command = List.of(v.get(KubernetesSetting.MIGRATE_COMMAND).strip().split("\\s+"));
        if (command.get(0).isEmpty()) {
            problems.add("deploy.kubernetes.migrateCommand must name a command, e.g. switchback migrate");
        }
        int known = problems.size();
        Duration migrateTimeout = Settings.duration("deploy.kubernetes.migrateTimeout", v.get(KubernetesSetting.MIGRATE_TIMEOUT), problems);
        if (problems.size() == known && migrateTimeout.toSeconds() < 1) {
            problems.add("deploy.kubernetes.migrateTimeout must be at least 1s (it is the Job's activeDeadlineSeconds)");
        }
        URI prometheus = null;
        String url = v.get(KubernetesSetting.PROMETHEUS);
        if (url != null && !url.isBlank()) {
            try {
                prometheus = URI.create(url.strip().replaceAll("/+$", ""));
                if (!List.of("http", "https").contains(String.valueOf(prometheus.getScheme()))) {
                    problems.add("deploy.analysis.prometheus.url must be http(s)://host:port, was '" + url + "'");
                }
            } catch (IllegalArgumentException e) {
                problems.add("deploy.analysis.prometheus.url '" + url + "' is not a URL");
            }
        }
        if (!problems.isEmpty()) {
            throw new SwitchbackException(ErrorCode.CONFIG, "Invalid Kubernetes configuration:\n  - " + String.join("\n  - ", problems));
        }
        String route = v.get(KubernetesSetting.HTTP_ROUTE);
        String ns = v.get(KubernetesSetting.NAMESPACE);
        return new KubernetesConfig(ns == null || ns.isBlank() ? null : ns.strip(), name.strip(), file, port,
                route == null || route.isBlank() ? null : route.strip(), rule, migrations, command, migrateTimeout, prometheus,
                v.get(KubernetesSetting.PROMETHEUS_REQUESTS), v.get(KubernetesSetting.PROMETHEUS_ERRORS),
                v.get(KubernetesSetting.PROMETHEUS_LATENCY));
    }

    /** The same settings in another namespace (tests, and the in-cluster default). */
    public KubernetesConfig inNamespace(String ns) {
        return new KubernetesConfig(ns, name, template, servicePort, httpRoute, httpRouteRule, migrations, migrateCommand, migrateTimeout,
                prometheus, requestsQuery, errorsQuery, latencyQuery);
    }

    public String deployment(dev.switchback.deploy.Slot slot) {
        return name + "-" + slot.id();
    }

    /** The ConfigMap with the active slot, the history and the rollout; also the Lease's name. */
    public String stateName() {
        return name + "-switchback";
    }

    private static int number(String value, String name, int min, int max, List<String> problems) {
        try {
            int n = Integer.parseInt(String.valueOf(value).strip());
            if (n < min || n > max) {
                problems.add(name + " must be between " + min + " and " + max + ", was " + n);
            }
            return n;
        } catch (NumberFormatException e) {
            problems.add(name + " '" + value + "' is not a whole number");
            return min;
        }
    }
}

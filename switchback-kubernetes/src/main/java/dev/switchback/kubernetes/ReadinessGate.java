package dev.switchback.kubernetes;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The cluster's own readiness as the health gate: a slot is healthy once its Deployment's rollout is done
 * ({@code observedGeneration ≥ generation}, updated = available = replicas). It fails at once on
 * {@code ProgressDeadlineExceeded} or a pod whose container waits in CrashLoopBackOff (or cannot start its image), with
 * the pods' last events and log lines in the reason.
 */
final class ReadinessGate {
    private static final Set<String> HOPELESS = Set.of("CrashLoopBackOff", "InvalidImageName", "CreateContainerConfigError");
    private final KubernetesClient client;
    private final String namespace;

    ReadinessGate(KubernetesClient client, String namespace) {
        this.client = client;
        this.namespace = namespace;
    }

    record Result(boolean healthy, String reason, long elapsedMs, int looks) {
    }

    /** @param beat run at every look (the rollout's lease renewed): it may stop the wait by throwing */
    Result await(String deployment, Duration timeout, Duration interval, Runnable beat) {
        long t0 = System.nanoTime();
        long deadline = t0 + timeout.toNanos();
        int looks = 0;
        String last = "no status yet";
        while (true) {
            looks++;
            Deployment d = client.apps().deployments().inNamespace(namespace).withName(deployment).get();
            if (d == null) {
                return new Result(false, "Deployment " + deployment + " is gone", ms(t0), looks);
            }
            DeploymentStatus s = d.getStatus();
            for (DeploymentCondition c : s == null || s.getConditions() == null ? List.<DeploymentCondition>of() : s.getConditions()) {
                if ("ProgressDeadlineExceeded".equals(c.getReason())) {
                    return new Result(false, deployment + ": ProgressDeadlineExceeded (" + c.getMessage() + ")" + evidence(d, null),
                            ms(t0), looks);
                }
            }
            String done = done(d);
            if (done == null) {
                return new Result(true, null, ms(t0), looks);
            }
            last = done;
            for (Pod p : pods(d)) {
                for (ContainerStatus cs : p.getStatus() == null || p.getStatus().getContainerStatuses() == null
                        ? List.<ContainerStatus>of() : p.getStatus().getContainerStatuses()) {
                    String why = cs.getState() == null || cs.getState().getWaiting() == null ? null : cs.getState().getWaiting().getReason();
                    if (hopeless(why)) {
                        return new Result(false, deployment + ": pod " + p.getMetadata().getName() + " container " + cs.getName()
                                + " is in " + why + " (" + cs.getRestartCount() + " restarts)" + evidence(d, p), ms(t0), looks);
                    }
                }
            }
            if (System.nanoTime() > deadline) {
                return new Result(false, deployment + " not ready within " + timeout.toSeconds() + "s: " + last + evidence(d, null),
                        ms(t0), looks);
            }
            beat.run();
            sleep(interval);
        }
    }

    /** A container waiting for this will not get better by waiting (an immutable Set's contains throws on null). */
    static boolean hopeless(String waitingReason) {
        return waitingReason != null && HOPELESS.contains(waitingReason);
    }

    /** Null when the rollout is done, else what it still waits for. */
    static String done(Deployment d) {
        DeploymentStatus s = d.getStatus();
        int want = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
        if (s == null) {
            return "the controller has not looked at it yet";
        }
        Long gen = d.getMetadata().getGeneration();
        Long seen = s.getObservedGeneration();
        if (seen == null || gen != null && seen < gen) {
            return "the controller has not seen generation " + gen + " yet (observed " + seen + ")";
        }
        int updated = n(s.getUpdatedReplicas());
        int available = n(s.getAvailableReplicas());
        int replicas = n(s.getReplicas());
        if (updated != want || available != want || replicas != want) {
            return want + " replicas wanted: " + updated + " updated, " + available + " available, " + replicas + " in all";
        }
        return null;
    }

    /**
     * The pods of the Deployment's current template, by its labels (the release among them): a pod of the release this
     * rollout replaces, crash-looping on its way out, says nothing about the new one.
     */
    private List<Pod> pods(Deployment d) {
        var template = d.getSpec().getTemplate().getMetadata();
        Map<String, String> labels = template != null && template.getLabels() != null && !template.getLabels().isEmpty()
                ? template.getLabels() : d.getSpec().getSelector().getMatchLabels();
        return client.pods().inNamespace(namespace).withLabels(labels).list().getItems();
    }

    /** The last events of the Deployment and its pods, and the last log lines of the failing pod. */
    private String evidence(Deployment d, Pod failing) {
        StringBuilder out = new StringBuilder();
        List<String> names = new ArrayList<>();
        names.add(d.getMetadata().getName());
        List<Pod> pods = failing != null ? List.of(failing) : pods(d);
        pods.forEach(p -> names.add(p.getMetadata().getName()));
        List<Event> events = new ArrayList<>();
        try {
            for (Event e : client.v1().events().inNamespace(namespace).list().getItems()) {
                if (e.getInvolvedObject() != null && names.contains(e.getInvolvedObject().getName())) {
                    events.add(e);
                }
            }
        } catch (KubernetesClientException e) {
            out.append("\n  (events unavailable: ").append(e.getMessage()).append(')');
        }
        events.sort(Comparator.comparing(e -> Objects.toString(e.getLastTimestamp(), "")));
        if (!events.isEmpty()) {
            out.append("\n  last events:");
            events.subList(Math.max(0, events.size() - 10), events.size()).forEach(e -> out.append("\n    ")
                    .append(e.getInvolvedObject().getName()).append(": ").append(e.getReason()).append(": ").append(e.getMessage()));
        }
        Pod p = failing != null ? failing : pods.isEmpty() ? null : pods.get(0);
        if (p != null) {
            try {
                String log = client.pods().inNamespace(namespace).withName(p.getMetadata().getName()).tailingLines(20)
                        .withReadyWaitTimeout(0).getLog();
                if (log != null && !log.isBlank()) {
                    out.append("\n  last log lines of ").append(p.getMetadata().getName()).append(":\n    ")
                            .append(log.strip().replace("\n", "\n    "));
                }
            } catch (KubernetesClientException e) {
                out.append("\n  (logs of ").append(p.getMetadata().getName()).append(" unavailable: HTTP ").append(e.getCode()).append(')');
            }
        }
        return out.toString();
    }

    private static int n(Integer i) {
        return i == null ? 0 : i;
    }

    private static long ms(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }

    static void sleep(Duration d) {
        try {
            Thread.sleep(Math.max(1, d.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}

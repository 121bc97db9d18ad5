package dev.switchback.kubernetes;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * TEST CODE, not part of Switchback: plays the part of the cluster's Deployment controller and kubelet against the mock
 * API server, which stores objects but runs no controllers. Every 10 ms it writes each Deployment's status from its
 * replicas (observedGeneration, updated = available = replicas), unless told that a release's rollout fails
 * (ProgressDeadlineExceeded) or its pods crash-loop (a Pod in CrashLoopBackOff and a BackOff event). It also plays the
 * Job controller: each new Job gets a pod (labelled job-name, owned by the Job) that "runs" by the {@link JobRunner} it was given, ends
 * with the runner's exit code, and whose log the mock server then serves; the Job is marked Complete or Failed.
 */
public final class TestController implements AutoCloseable {
    public enum Mode { READY, PROGRESS_DEADLINE, CRASH_LOOP }

    /** What a Job's pod does: its exit code and what it printed. */
    public record Run(int exitCode, String log) {
    }

    /** Runs a Job's pod, given its one container (image, command, env). */
    public interface JobRunner {
        Run run(Container container);
    }

    /** Succeeds, printing the command it was given. */
    public static final JobRunner SUCCEEDS = c -> new Run(0, "ran " + String.join(" ", c.getCommand()) + "\nApplied 1 migration(s)");

    private final KubernetesClient client;
    private final String namespace;
    private final Map<String, Mode> modes = new ConcurrentHashMap<>();
    private final KubernetesMockServer server;
    private volatile JobRunner jobs = SUCCEEDS;
    private final Set<String> ranJobs = ConcurrentHashMap.newKeySet();
    private final Thread thread;
    private volatile boolean running = true;

    /** @param server where the Job pods' logs are served from (the CRUD mode keeps no logs) */
    public TestController(KubernetesClient client, String namespace, KubernetesMockServer server) {
        this.client = client;
        this.namespace = namespace;
        this.server = server;
        this.thread = new Thread(this::loop, "test-controller-" + namespace);
        thread.setDaemon(true);
        thread.start();
    }

    public void mode(String release, Mode mode) {
        modes.put(release, mode);
    }

    public void jobs(JobRunner runner) {
        this.jobs = runner;
    }

    private void loop() {
        while (running) {
            try {
                for (Deployment d : client.apps().deployments().inNamespace(namespace).list().getItems()) {
                    reconcile(d);
                }
                for (Job j : client.batch().v1().jobs().inNamespace(namespace).list().getItems()) {
                    if (ranJobs.add(j.getMetadata().getUid())) {
                        run(j);
                    }
                }
                Thread.sleep(10);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                // a write that raced the client's own: the next pass sees the new object
            }
        }
    }

    private void reconcile(Deployment d) {
        String release = d.getMetadata().getAnnotations() == null ? null : d.getMetadata().getAnnotations().get(SlotManifests.RELEASE);
        int replicas = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
        long gen = d.getMetadata().getGeneration() == null ? 1 : d.getMetadata().getGeneration();
        Mode mode = replicas == 0 ? Mode.READY : modes.getOrDefault(release, Mode.READY);
        DeploymentStatus want = switch (mode) {
            case READY -> new DeploymentStatusBuilder().withObservedGeneration(gen).withReplicas(replicas).withUpdatedReplicas(replicas)
                    .withReadyReplicas(replicas).withAvailableReplicas(replicas).build();
            case PROGRESS_DEADLINE -> new DeploymentStatusBuilder().withObservedGeneration(gen).withReplicas(replicas)
                    .withUpdatedReplicas(replicas).withAvailableReplicas(0).withConditions(new DeploymentConditionBuilder()
                            .withType("Progressing").withStatus("False").withReason("ProgressDeadlineExceeded")
                            .withMessage("ReplicaSet \"" + d.getMetadata().getName() + "-7d9f\" has timed out progressing.").build()).build();
            case CRASH_LOOP -> {
                crashLoop(d, release);
                yield new DeploymentStatusBuilder().withObservedGeneration(gen).withReplicas(replicas).withUpdatedReplicas(replicas)
                        .withAvailableReplicas(0).build();
            }
        };
        if (!want.equals(d.getStatus())) {
            d.setStatus(want);
            client.apps().deployments().inNamespace(namespace).resource(d).updateStatus();
        }
    }

    private void run(Job j) {
        String name = j.getMetadata().getName();
        Container c = j.getSpec().getTemplate().getSpec().getContainers().get(0);
        Run r = jobs.run(c);
        String pod = name + "-" + Integer.toString(Math.abs(j.getMetadata().getUid().hashCode()), 36);
        client.pods().inNamespace(namespace).resource(new PodBuilder().withNewMetadata().withName(pod).withNamespace(namespace)
                .addToLabels("job-name", name).addToLabels("batch.kubernetes.io/controller-uid", j.getMetadata().getUid())
                .addNewOwnerReference().withApiVersion("batch/v1").withKind("Job").withName(name).withUid(j.getMetadata().getUid())
                .withController(true).endOwnerReference().endMetadata().withNewSpec().withContainers(c).withRestartPolicy("Never").endSpec()
                .withNewStatus().withPhase(r.exitCode() == 0 ? "Succeeded" : "Failed").withContainerStatuses(new ContainerStatusBuilder()
                        .withName(c.getName()).withNewState().withNewTerminated().withExitCode(r.exitCode()).endTerminated().endState().build())
                .endStatus().build()).create();
        server.expect().get().withPath("/api/v1/namespaces/" + namespace + "/pods/" + pod + "/log?pretty=false&tailLines=50")
                .andReturn(200, r.log()).always();
        boolean ok = r.exitCode() == 0;
        j.setStatus(new JobStatusBuilder().withSucceeded(ok ? 1 : 0).withFailed(ok ? 0 : 1).withConditions(new JobConditionBuilder()
                .withType(ok ? "Complete" : "Failed").withStatus("True").withReason(ok ? null : "BackoffLimitExceeded")
                .withMessage(ok ? null : "Job has reached the specified backoff limit").build()).build());
        client.batch().v1().jobs().inNamespace(namespace).resource(j).updateStatus();
    }

    /** A pod of the release that crash-loops, its BackOff event (written first: whoever sees the pod sees it) and its log. */
    private void crashLoop(Deployment d, String release) {
        String pod = d.getMetadata().getName() + "-" + Integer.toString(Math.abs(release.hashCode()), 36) + "-x2x4q";
        if (client.pods().inNamespace(namespace).withName(pod).get() != null) {
            return;
        }
        client.v1().events().inNamespace(namespace).resource(new EventBuilder().withNewMetadata().withName(pod + ".1").endMetadata()
                .withNewInvolvedObject().withKind("Pod").withName(pod).withNamespace(namespace).endInvolvedObject()
                .withReason("BackOff").withMessage("Back-off restarting failed container app in pod " + pod + " (release " + release + ")")
                .build()).create();
        server.expect().get().withPath("/api/v1/namespaces/" + namespace + "/pods/" + pod + "/log?pretty=false&tailLines=20")
                .andReturn(200, "starting " + release + "\nfatal: cannot reach the database\n").always();
        client.pods().inNamespace(namespace).resource(new PodBuilder().withNewMetadata().withName(pod).withNamespace(namespace)
                .withLabels(d.getSpec().getTemplate().getMetadata().getLabels()).endMetadata()
                .withNewStatus().withPhase("Running").withContainerStatuses(new ContainerStatusBuilder().withName("app")
                        .withRestartCount(4).withNewState().withNewWaiting().withReason("CrashLoopBackOff")
                        .withMessage("back-off 40s restarting failed container").endWaiting().endState().build()).endStatus().build()).create();
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join(2000);
    }
}

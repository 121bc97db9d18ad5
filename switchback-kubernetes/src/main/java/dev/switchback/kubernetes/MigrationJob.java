package dev.switchback.kubernetes;

import dev.switchback.deploy.PerformRequest;
import dev.switchback.deploy.ReleaseMigration;
import dev.switchback.migration.ErrorCode;
import dev.switchback.migration.SwitchbackException;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * {@code deploy.kubernetes.migrations: job}: a perform's migrations run in the cluster, as a Job from the release's image
 * ({@link SlotManifests#migrationJob}), waited for, its pod's log shown. The migrate command takes the database lock
 * as it does anywhere, so two migrations never overlap whichever way they run. A Job that fails, cannot start its
 * image, or outlives migrateTimeout fails the perform with its log and its exit code's {@link ErrorCode}; one this class
 * gave up on is deleted, so it never migrates after the perform said it stopped.
 */
final class MigrationJob {
    private static final Logger log = LoggerFactory.getLogger(MigrationJob.class);
    private static final int CREATE_ATTEMPTS = 10;
    /** The tail of the pod's log that is shown (and kept in the history with a failure: the ConfigMap holds 1 MiB). */
    private static final int LOG_LINES = 50;
    private final KubernetesClient client;
    private final KubernetesConfig config;
    private final SlotManifests manifests;

    MigrationJob(KubernetesClient client, KubernetesConfig config, SlotManifests manifests) {
        this.client = client;
        this.config = config;
        this.manifests = manifests;
    }

    /**
     * The perform's migrations, {@code --no-backup} and {@code --allow-unsafe} passed on to migrateCommand; the Job's
     * log is logged. {@code beat} runs at every look at the Job (the rollout's lease renewed). The migrate in the pod
     * reports what it applied, so the result says nothing of it.
     *
     * @throws SwitchbackException when the Job fails, with its log in the message
     */
    ReleaseMigration run(PerformRequest req, Duration interval, Runnable beat) {
        List<String> flags = new ArrayList<>();
        if (req.noBackup()) {
            flags.add("--no-backup");
        }
        if (req.allowUnsafe()) {
            flags.add("--allow-unsafe");
        }
        long t0 = System.nanoTime();
        Run job = run(req.release(), flags, interval, beat);
        log.info("Migration Job {} succeeded in {} ms; its log:\n    {}", job.name(), ms(t0),
                output(job.name(), job.uid()).text().replace("\n", "\n    "));
        return ReleaseMigration.SKIPPED;
    }

    /** A Job created by this perform: its name and its uid, which its pods' ownerReferences carry. */
    private record Run(String name, String uid) {
    }

    /** @return the Job, once it succeeded */
    private Run run(String release, List<String> flags, Duration interval, Runnable beat) {
        Job job = manifests.migrationJob(release, flags);
        String name = job.getMetadata().getName();
        var jobs = client.batch().v1().jobs().inNamespace(config.namespace());
        long t0 = System.nanoTime();
        Job before = jobs.withName(name).get();
        if (before != null) {
            if (!finished(before.getStatus())) {
                // an interrupted perform's migration, still running: killing it could stop it mid-statement
                throw new SwitchbackException(ErrorCode.LOCK_TIMEOUT, "Migration Job " + config.namespace() + "/" + name + " of release "
                        + release + " is still running (created " + before.getMetadata().getCreationTimestamp() + "). Wait for it to "
                        + "finish and perform again, or stop it first: `kubectl delete job " + name + " -n " + config.namespace() + "`");
            }
            // the same release migrated before (or failed to): its finished Job is replaced, the new run is the one to watch
            jobs.withName(name).withPropagationPolicy(DeletionPropagation.BACKGROUND).delete();
        }
        String uid = create(job, interval, beat);
        // the cluster kills the pod at activeDeadlineSeconds; the margin lets it report so before this gives up
        long deadline = t0 + config.migrateTimeout().plus(Duration.ofSeconds(30)).toNanos();
        while (true) {
            Job now = jobs.withName(name).get();
            JobStatus s = now == null ? null : now.getStatus();
            String failed = now == null || !uid.equals(now.getMetadata().getUid()) ? "the Job was deleted" : failure(s);
            if (failed != null) {
                throw failedJob(name, failed, output(name, uid), ms(t0));
            }
            if (s != null && s.getSucceeded() != null && s.getSucceeded() > 0) {
                return new Run(name, uid);
            }
            String stuck = stuck(latestPod(name, uid));
            if (stuck == null && System.nanoTime() > deadline) {
                stuck = "not finished within " + config.migrateTimeout().toSeconds() + "s (deploy.kubernetes.migrateTimeout)";
            }
            if (stuck != null) {
                Log l = output(name, uid);
                jobs.withName(name).withPropagationPolicy(DeletionPropagation.BACKGROUND).delete();
                throw failedJob(name, stuck + "; the Job was deleted, so it will not migrate later", l, ms(t0));
            }
            beat.run();
            ReadinessGate.sleep(interval);
        }
    }

    /** @return the uid of the Job created */
    private String create(Job job, Duration interval, Runnable beat) {
        for (int attempt = 1; ; attempt++) {
            try {
                return client.batch().v1().jobs().inNamespace(config.namespace()).resource(job).create().getMetadata().getUid();
            } catch (KubernetesClientException e) {
                // 409: the replaced Job is still being deleted
                if (e.getCode() != 409 || attempt == CREATE_ATTEMPTS) {
                    throw e;
                }
                beat.run();
                ReadinessGate.sleep(interval);
            }
        }
    }

    private static boolean finished(JobStatus s) {
        return s != null && (s.getSucceeded() != null && s.getSucceeded() > 0 || failure(s) != null);
    }

    /** Null while the Job runs or after it succeeded; else why it failed. */
    private static String failure(JobStatus s) {
        if (s == null) {
            return null;
        }
        for (JobCondition c : s.getConditions() == null ? List.<JobCondition>of() : s.getConditions()) {
            if ("Failed".equals(c.getType()) && "True".equals(c.getStatus())) {
                return c.getReason() + (c.getMessage() == null ? "" : ": " + c.getMessage());
            }
        }
        return s.getFailed() != null && s.getFailed() > 0 ? "its pod failed" : null;
    }

    /** A pod that cannot start its container will not get better by waiting (a wrong image, a missing Secret). */
    private static String stuck(Pod p) {
        for (ContainerStatus cs : statuses(p)) {
            String why = cs.getState() == null || cs.getState().getWaiting() == null ? null : cs.getState().getWaiting().getReason();
            if (ReadinessGate.hopeless(why) || "ImagePullBackOff".equals(why) || "ErrImagePull".equals(why)) {
                return "pod " + p.getMetadata().getName() + " is in " + why + " (" + cs.getState().getWaiting().getMessage() + ")";
            }
        }
        return null;
    }

    /**
     * The newest pod of this Job run, by its ownerReference: a pod of the Job it replaced (deleted in the background,
     * same job-name label) says nothing of this one.
     */
    private Pod latestPod(String job, String uid) {
        return client.pods().inNamespace(config.namespace()).withLabel("job-name", job).list().getItems().stream()
                .filter(p -> p.getMetadata().getOwnerReferences() != null
                        && p.getMetadata().getOwnerReferences().stream().anyMatch(o -> uid.equals(o.getUid())))
                .max(Comparator.comparing(p -> String.valueOf(p.getMetadata().getCreationTimestamp()))).orElse(null);
    }

    /** The pod's log and its container's exit code (null while it runs or when there is no pod). */
    private record Log(String text, Integer exitCode) {
    }

    private Log output(String job, String uid) {
        Pod p = latestPod(job, uid);
        if (p == null) {
            return new Log("(no pod was started)", null);
        }
        Integer exit = statuses(p).stream().filter(cs -> cs.getState() != null && cs.getState().getTerminated() != null)
                .map(cs -> cs.getState().getTerminated().getExitCode()).findFirst().orElse(null);
        try {
            String text = client.pods().inNamespace(config.namespace()).withName(p.getMetadata().getName()).tailingLines(LOG_LINES)
                    .withReadyWaitTimeout(0).getLog();
            return new Log(text == null || text.isBlank() ? "(the pod printed nothing)" : text.strip(), exit);
        } catch (KubernetesClientException e) {
            return new Log("(the log of pod " + p.getMetadata().getName() + " is unavailable: HTTP " + e.getCode() + ")", exit);
        }
    }

    private static List<ContainerStatus> statuses(Pod p) {
        return p == null || p.getStatus() == null || p.getStatus().getContainerStatuses() == null ? List.of()
                : p.getStatus().getContainerStatuses();
    }

    /** The exit code of {@code switchback migrate} is its ErrorCode's, so a failed Job fails the perform as a local migrate would. */
    private SwitchbackException failedJob(String job, String why, Log output, long elapsedMs) {
        ErrorCode code = ErrorCode.FAILED;
        for (ErrorCode c : ErrorCode.values()) {
            if (output.exitCode() != null && c.exitCode() == output.exitCode()) {
                code = c;
            }
        }
        return new SwitchbackException(code, "Migration Job " + config.namespace() + "/" + job + " failed after " + elapsedMs + " ms: "
                + why + (output.exitCode() == null ? "" : " (exit code " + output.exitCode() + ")") + "\n  its log:\n    "
                + output.text().replace("\n", "\n    "));
    }

    private static long ms(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }
}

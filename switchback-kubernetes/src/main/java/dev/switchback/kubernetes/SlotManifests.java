package dev.switchback.kubernetes;

import dev.switchback.deploy.Slot;
import dev.switchback.migration.ErrorCode;
import dev.switchback.migration.SwitchbackException;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPBackendRef;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The manifests of a slot: its Deployment from the template (with {@code ${RELEASE}} filled in, named and labelled for
 * the slot), its Service, an HTTPRoute carrying the weights, and the release's migration Job. Pure: no cluster needed, so {@code k8s render --offline}
 * prints exactly what a perform applies.
 */
public final class SlotManifests {
    public static final String SLOT = "switchback.dev/slot";
    public static final String RELEASE = "switchback.dev/release";
    /** Where a slot's state (standby, active, canary, failed, stopped) is kept on its Deployment. */
    public static final String STATE = "switchback.dev/state";
    /** On a migration Job and its pod: the name of the app it migrates for. */
    public static final String MIGRATIONS = "switchback.dev/migrations";
    /** How long a finished migration Job is kept (for {@code kubectl logs job/...}) before the cluster deletes it. */
    private static final Duration JOB_KEPT = Duration.ofDays(1);
    private static final Pattern LABEL_VALUE = Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9]");
    private final KubernetesConfig config;
    private final KubernetesSerialization serialization;
    private final String template;

    public SlotManifests(KubernetesConfig config, KubernetesSerialization serialization) {
        this.config = config;
        this.serialization = serialization;
        try {
            this.template = Files.readString(config.template());
        } catch (IOException e) {
            throw new SwitchbackException(ErrorCode.CONFIG, "Cannot read the Deployment template " + config.template() + ": " + e.getMessage(), e);
        }
        if (!template.contains("${RELEASE}")) {
            throw new SwitchbackException(ErrorCode.CONFIG, config.template() + " has no ${RELEASE} (in its image tag): every release "
                    + "would run the same image");
        }
    }

    public Deployment deployment(Slot slot, String release) {
        Deployment d = parse(release);
        ObjectMeta meta = d.getMetadata() == null ? new ObjectMeta() : d.getMetadata();
        meta.setName(config.deployment(slot));
        meta.setNamespace(config.namespace());
        meta.setResourceVersion(null);
        meta.setUid(null);
        Map<String, String> labels = labels(meta.getLabels(), slot, release);
        meta.setLabels(labels);
        Map<String, String> annotations = new LinkedHashMap<>(meta.getAnnotations() == null ? Map.of() : meta.getAnnotations());
        annotations.put(RELEASE, release);
        meta.setAnnotations(annotations);
        d.setMetadata(meta);
        // the selector leaves the release out: it cannot change on an existing Deployment, the release can
        d.getSpec().setSelector(new io.fabric8.kubernetes.api.model.LabelSelectorBuilder()
                .withMatchLabels(Map.of("app", config.name(), SLOT, slot.id())).build());
        ObjectMeta pod = d.getSpec().getTemplate().getMetadata() == null ? new ObjectMeta() : d.getSpec().getTemplate().getMetadata();
        pod.setLabels(labels(pod.getLabels(), slot, release));
        d.getSpec().getTemplate().setMetadata(pod);
        d.setStatus(null);
        return d;
    }

    /**
     * {@code migrations: job}: the release's migrations as a Job. Its one container is the template's first one with the
     * image, env, envFrom, volume mounts and resources kept (so the database settings the pods get, a Secret by
     * reference, reach the migration too) and {@code migrateCommand} as its command; ports and probes are left out. The
     * pod keeps the template's volumes, service account, pull secrets and init containers, but none of its labels: a
     * Service selecting the app's pods never routes to it. Not retried (backoffLimit 0), killed after migrateTimeout.
     */
    public Job migrationJob(String release, List<String> flags) {
        PodSpec pod = parse(release).getSpec().getTemplate().getSpec();
        if (pod == null || pod.getContainers() == null || pod.getContainers().isEmpty()) {
            throw new SwitchbackException(ErrorCode.CONFIG, config.template() + " has no container: no image to migrate from");
        }
        Container app = pod.getContainers().get(0);
        List<String> command = new ArrayList<>(config.migrateCommand());
        command.addAll(flags);
        pod.setContainers(List.of(new ContainerBuilder().withName("migrate").withImage(app.getImage())
                .withImagePullPolicy(app.getImagePullPolicy()).withCommand(command).withEnv(app.getEnv()).withEnvFrom(app.getEnvFrom())
                .withVolumeMounts(app.getVolumeMounts()).withResources(app.getResources()).withWorkingDir(app.getWorkingDir())
                .withSecurityContext(app.getSecurityContext()).build()));
        pod.setRestartPolicy("Never");
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(MIGRATIONS, config.name());
        if (LABEL_VALUE.matcher(release).matches()) {
            labels.put(RELEASE, release);
        }
        return new JobBuilder().withNewMetadata().withName(jobName(release)).withNamespace(config.namespace()).withLabels(labels)
                .addToAnnotations(RELEASE, release).endMetadata()
                .withNewSpec().withBackoffLimit(0).withActiveDeadlineSeconds(config.migrateTimeout().toSeconds())
                .withTtlSecondsAfterFinished((int) JOB_KEPT.toSeconds())
                .withNewTemplate().withNewMetadata().withLabels(labels).endMetadata().withSpec(pod).endTemplate().endSpec().build();
    }

    /**
     * {@code <name>-migrate-<release>-<hash>}, made a DNS label: one Job per release, run again by replacing it. The
     * hash of the exact release keeps apart the releases that read alike once made a label (v1.2, v1_2, V1-2).
     */
    String jobName(String release) {
        String hash = HexFormat.of().formatHex(sha256(release), 0, 4);
        String n = (config.name() + "-migrate-" + release.toLowerCase(java.util.Locale.ROOT)).replaceAll("[^a-z0-9-]", "-");
        n = n.substring(0, Math.min(63 - hash.length() - 1, n.length())).replaceAll("-+$", "");
        return n + "-" + hash;
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private Deployment parse(String release) {
        Object parsed;
        try {
            parsed = serialization.unmarshal(template.replace("${RELEASE}", release));
        } catch (RuntimeException e) {
            throw new SwitchbackException(ErrorCode.CONFIG, config.template() + " is not a Kubernetes manifest: " + e.getMessage(), e);
        }
        if (!(parsed instanceof Deployment d)) {
            throw new SwitchbackException(ErrorCode.CONFIG, config.template() + " must hold one Deployment (apps/v1), found "
                    + (parsed instanceof HasMetadata h ? h.getKind() : String.valueOf(parsed)));
        }
        if (d.getSpec() == null || d.getSpec().getTemplate() == null) {
            throw new SwitchbackException(ErrorCode.CONFIG, config.template() + " has no spec.template: nothing to run");
        }
        return d;
    }

    private Map<String, String> labels(Map<String, String> given, Slot slot, String release) {
        Map<String, String> labels = new LinkedHashMap<>(given == null ? Map.of() : given);
        labels.put("app", config.name());
        labels.put(SLOT, slot.id());
        if (LABEL_VALUE.matcher(release).matches()) {
            labels.put(RELEASE, release);
        }
        return labels;
    }

    /** {@code <name>-<slot>}: the slot's pods, whatever release runs there. */
    public Service service(Slot slot) {
        return service(config.deployment(slot), slot);
    }

    /** Without a Gateway: {@code <name>}, whose selector names the active slot. */
    public Service activeService(Slot active) {
        return service(config.name(), active);
    }

    private Service service(String name, Slot slot) {
        return new ServiceBuilder().withNewMetadata().withName(name).withNamespace(config.namespace())
                .addToLabels("app", config.name()).endMetadata()
                .withNewSpec().addToSelector("app", config.name()).addToSelector(SLOT, slot.id())
                .addNewPort().withName("http").withPort(config.servicePort()).withTargetPort(new IntOrString(config.servicePort())).endPort()
                .endSpec().build();
    }

    /** An HTTPRoute for a first install or for GitOps: one rule with both slots' Services at the given weights. */
    public HTTPRoute route(int blueWeight, int greenWeight) {
        return new HTTPRouteBuilder().withNewMetadata().withName(config.httpRoute() == null ? config.name() : config.httpRoute())
                .withNamespace(config.namespace()).addToLabels("app", config.name()).endMetadata()
                .withNewSpec().addNewParentRef().withName("gateway").endParentRef()
                .addNewRule().withBackendRefs(ref(Slot.BLUE, blueWeight), ref(Slot.GREEN, greenWeight)).endRule()
                .endSpec().build();
    }

    private HTTPBackendRef ref(Slot slot, int weight) {
        HTTPBackendRef r = new HTTPBackendRef();
        r.setName(config.deployment(slot));
        r.setPort(config.servicePort());
        r.setWeight(weight);
        return r;
    }

    public String yaml(Object manifest) {
        return serialization.asYaml(manifest);
    }
}

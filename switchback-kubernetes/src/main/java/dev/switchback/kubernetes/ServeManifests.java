package dev.switchback.kubernetes;

import dev.switchback.deploy.Slot;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code switchback k8s render --serve}: {@code switchback serve} as a Deployment of its own in the namespace, with a
 * ServiceAccount and a Role granting exactly what driving a rollout calls ({@link ClusterDriver}: the state ConfigMap,
 * the Lease, the slots' Deployments, and the HTTPRoute or, without one, the Services). It reads its switchback.yml and
 * the Deployment template from the ConfigMap {@code <name>-switchback-config}, which the operator creates.
 */
public final class ServeManifests {
    /** Where the serve pod mounts its configuration. */
    static final String CONFIG_DIR = "/etc/switchback";

    private ServeManifests() {
    }

    public static List<HasMetadata> manifests(KubernetesConfig config, String image) {
        String name = config.stateName();
        Map<String, String> labels = Map.of("app", name, "app.kubernetes.io/name", "switchback");
        List<HasMetadata> out = new ArrayList<>();
        out.add(new ServiceAccountBuilder().withNewMetadata().withName(name).withNamespace(config.namespace()).withLabels(labels)
                .endMetadata().build());
        out.add(new RoleBuilder().withNewMetadata().withName(name).withNamespace(config.namespace()).withLabels(labels).endMetadata()
                .withRules(rules(config)).build());
        out.add(new RoleBindingBuilder().withNewMetadata().withName(name).withNamespace(config.namespace()).withLabels(labels).endMetadata()
                .withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("Role").withName(name).endRoleRef()
                .addNewSubject().withKind("ServiceAccount").withName(name).withNamespace(config.namespace()).endSubject().build());
        out.add(new DeploymentBuilder().withNewMetadata().withName(name).withNamespace(config.namespace()).withLabels(labels).endMetadata()
                // one driver at a time: the Lease guards it anyway, Recreate keeps two from contending for it
                .withNewSpec().withReplicas(1).withNewStrategy().withType("Recreate").endStrategy()
                .withNewSelector().withMatchLabels(labels).endSelector()
                .withNewTemplate().withNewMetadata().withLabels(labels).endMetadata()
                .withNewSpec().withServiceAccountName(name)
                .addNewContainer().withName("switchback").withImage(image).withArgs("serve")
                .addNewEnv().withName("SWITCHBACK_CONFIG").withValue(CONFIG_DIR + "/switchback.yml").endEnv()
                .addNewEnv().withName("SWITCHBACK_DEPLOY_KUBERNETES_DEPLOYMENT").withValue(CONFIG_DIR + "/deployment.yaml").endEnv()
                // the ${...} of switchback.yml (webhook URLs, the database URL) from a Secret of the operator's, when it exists
                .addNewEnvFrom().withNewSecretRef().withName(name + "-env").withOptional(true).endSecretRef().endEnvFrom()
                .addNewVolumeMount().withName("config").withMountPath(CONFIG_DIR).withReadOnly(true).endVolumeMount()
                .endContainer()
                .addNewVolume().withName("config").withNewConfigMap().withName(name + "-config").endConfigMap().endVolume()
                .endSpec().endTemplate().endSpec().build());
        return out;
    }

    /**
     * What a pass of {@link ClusterDriver} calls, and nothing more (the driving test checks every call against these),
     * limited to the objects' names except where Kubernetes cannot limit a verb so (create, list).
     */
    static List<PolicyRule> rules(KubernetesConfig config) {
        List<PolicyRule> rules = new ArrayList<>();
        rules.add(rule("", "configmaps", List.of(config.stateName()), "get", "update"));
        rules.add(rule("coordination.k8s.io", "leases", List.of(config.stateName()), "get", "update"));
        rules.add(rule("coordination.k8s.io", "leases", List.of(), "create"));
        // the slots are read by their label, annotated and scaled by a patch (the client reads the object before patching)
        rules.add(rule("apps", "deployments", List.of(), "list"));
        rules.add(rule("apps", "deployments", List.of(config.deployment(Slot.BLUE), config.deployment(Slot.GREEN)), "get", "patch"));
        if (config.httpRoute() != null) {
            rules.add(rule("gateway.networking.k8s.io", "httproutes", List.of(config.httpRoute()), "get", "patch"));
        } else {
            // a blue-green watch that fails switches the selector of the Service <name> back (applied: patch, or get and update)
            rules.add(rule("", "services", List.of(config.name()), "get", "update", "patch"));
        }
        return rules;
    }

    private static PolicyRule rule(String group, String resource, List<String> names, String... verbs) {
        PolicyRuleBuilder b = new PolicyRuleBuilder().withApiGroups(group).withResources(resource).withVerbs(verbs);
        return names.isEmpty() ? b.build() : b.withResourceNames(names).build();
    }
}

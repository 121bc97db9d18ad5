package dev.switchback.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.victools.jsonschema.generator.Option;
import com.github.victools.jsonschema.generator.OptionPreset;
import com.github.victools.jsonschema.generator.SchemaGenerator;
import com.github.victools.jsonschema.generator.SchemaGeneratorConfigBuilder;
import com.github.victools.jsonschema.generator.SchemaVersion;
import com.github.victools.jsonschema.generator.CustomDefinition;
import com.github.victools.jsonschema.module.jackson.JacksonModule;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every document {@code k8s render} prints (a release's manifests with and without a Gateway, with a migration Job, and
 * serve's own) validated offline against JSON schemas generated from the fabric8 model types of the Kubernetes and
 * Gateway API (victools' generator, networknt's validator), each object closed ({@code additionalProperties: false}):
 * a misspelt or unknown field, say one carried over from a template, fails, and so does a value of the wrong type.
 */
class RenderSchemaTest {
    private static final Map<String, Class<?>> KINDS = Map.of("Deployment", Deployment.class, "Service", Service.class,
            "HTTPRoute", HTTPRoute.class, "Job", Job.class, "ServiceAccount", ServiceAccount.class, "Role", Role.class,
            "RoleBinding", RoleBinding.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, Schema> SCHEMAS = new HashMap<>();

    @TempDir
    Path dir;

    @BeforeAll
    static void schemas() {
        SchemaGeneratorConfigBuilder config = new SchemaGeneratorConfigBuilder(SchemaVersion.DRAFT_2020_12, OptionPreset.PLAIN_JSON)
                .with(new JacksonModule()).with(Option.FORBIDDEN_ADDITIONAL_PROPERTIES_BY_DEFAULT, Option.MAP_VALUES_AS_ADDITIONAL_PROPERTIES);
        // serialized by their own serializers: an int or a string, a quantity as "500m" or a number
        config.forTypesInGeneral().withCustomDefinitionProvider((type, context) -> {
            Class<?> c = type.getErasedType();
            if (c == IntOrString.class || c == Quantity.class) {
                ObjectNode n = context.getGeneratorConfig().createObjectNode();
                n.putArray("type").add(c == IntOrString.class ? "integer" : "number").add("string");
                return new CustomDefinition(n);
            }
            return null;
        });
        SchemaGenerator generator = new SchemaGenerator(config.build());
        SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
        KINDS.forEach((kind, type) -> SCHEMAS.put(kind, registry.getSchema(generator.generateSchema(type).toString())));
    }

    private KubernetesConfig config(boolean route, String migrations) throws Exception {
        Files.writeString(dir.resolve("d.yaml"), """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: x, labels: {team: web}}
                spec:
                  replicas: 3
                  selector: {matchLabels: {app: x}}
                  template:
                    metadata: {labels: {app: x}}
                    spec:
                      serviceAccountName: shop
                      containers:
                      - name: app
                        image: "ghcr.io/acme/shop:${RELEASE}"
                        ports: [{containerPort: 8080}]
                        resources: {requests: {cpu: 250m, memory: 256Mi}}
                        readinessProbe: {httpGet: {path: /health, port: 8080}}
                        env: [{name: SWITCHBACK_DATABASE_URL, valueFrom: {secretKeyRef: {name: shop-db, key: url}}}]
                """);
        Map<KubernetesSetting, String> k = new EnumMap<>(KubernetesSetting.class);
        k.put(KubernetesSetting.NAME, "shop");
        k.put(KubernetesSetting.NAMESPACE, "prod");
        k.put(KubernetesSetting.DEPLOYMENT, "d.yaml");
        k.put(KubernetesSetting.MIGRATIONS, migrations);
        if (route) {
            k.put(KubernetesSetting.HTTP_ROUTE, "shop");
        }
        return KubernetesConfig.from(k, dir);
    }

    /** The problems of each document of {@code yaml}, by kind; an empty list for a valid one. */
    private static List<String> problems(String yaml) {
        List<String> out = new ArrayList<>();
        for (String doc : yaml.split("(?m)^---$")) {
            if (doc.isBlank()) {
                continue;
            }
            JsonNode node = JSON.valueToTree(new KubernetesSerialization().unmarshal(doc, Map.class));
            String kind = node.path("kind").asText();
            assertThat(SCHEMAS).as("a schema for %s", kind).containsKey(kind);
            SCHEMAS.get(kind).validate(node).forEach(e -> out.add(kind + " " + e.getInstanceLocation() + ": " + e.getMessage()));
        }
        return out;
    }

    @Test
    void everythingRenderPrintsIsValidAgainstTheModelSchemas() throws Exception {
        List<String> kinds = new ArrayList<>();
        for (boolean route : List.of(true, false)) {
            for (String migrations : List.of("local", "job")) {
                String yaml = ManifestRender.yaml(ManifestRender.manifests(config(route, migrations), "v7", route ? 25 : 100, null));
                assertThat(problems(yaml)).as(yaml).isEmpty();
                yaml.lines().filter(l -> l.startsWith("kind:")).forEach(kinds::add);
            }
        }
        String serve = ManifestRender.yaml(ServeManifests.manifests(config(true, "local"), "ghcr.io/acme/switchback:1"));
        assertThat(problems(serve)).as(serve).isEmpty();
        serve.lines().filter(l -> l.startsWith("kind:")).forEach(kinds::add);
        assertThat(kinds.stream().map(l -> l.replaceAll("[\" ]|kind:", "")).distinct()).containsExactlyInAnyOrderElementsOf(KINDS.keySet());
    }

    @Test
    void aMisspeltOrMistypedFieldFails() throws Exception {
        String yaml = ManifestRender.yaml(ManifestRender.manifests(config(true, "local"), "v7", 25, null));
        assertThat(problems(yaml.replace("serviceAccountName:", "serviceAcountName:")))
                .singleElement().asString().startsWith("Deployment ").contains("serviceAcountName");
        assertThat(problems(yaml.replace("replicas: 3", "replicas: \"three\""))).singleElement().asString().contains("replicas");
        assertThat(problems(yaml.replace("weight: 25", "weigth: 25"))).singleElement().asString().startsWith("HTTPRoute ").contains("weigth");
    }
}

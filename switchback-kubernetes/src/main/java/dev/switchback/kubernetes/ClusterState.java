package dev.switchback.kubernetes;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchback.deploy.DeploymentHistory;
import dev.switchback.deploy.Slot;
import dev.switchback.migration.ErrorCode;
import dev.switchback.migration.SwitchbackException;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * What the local runtime keeps in state.json and history.json, kept in the cluster so every operator sees the same:
 * the ConfigMap {@code <name>-switchback} holds the active slot, the history (newest 200) and the latest rollout; each
 * slot's release and state are on its Deployment (labels and annotations). Every write is guarded by the
 * resourceVersion it read.
 */
final class ClusterState {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_HISTORY = 200;
    private final KubernetesClient client;
    private final KubernetesConfig config;
    // changes held while an operation runs, written together by flush(): one read and one write instead of one each
    private final List<UnaryOperator<Map<String, String>>> pending = new ArrayList<>();
    private int holding;

    ClusterState(KubernetesClient client, KubernetesConfig config) {
        this.client = client;
        this.config = config;
    }

    /** One reading of the ConfigMap. */
    record Snapshot(Slot active, List<DeploymentHistory.Entry> history, String rollout) {
    }

    Snapshot read() {
        ConfigMap cm = get();
        Map<String, String> data = cm == null || cm.getData() == null ? Map.of() : cm.getData();
        String active = data.get("active");
        return new Snapshot(active == null || active.isBlank() ? null : Slot.parse(active), history(data.get("history")), data.get("rollout"));
    }

    void active(Slot slot) {
        update(d -> {
            d.put("active", slot.id());
            return d;
        });
    }

    void rollout(String json) {
        update(d -> {
            d.put("rollout", json);
            return d;
        });
    }

    void append(String action, Slot from, Slot to, String release, String outcome, String detail) {
        update(d -> {
            List<DeploymentHistory.Entry> all = new ArrayList<>(history(d.get("history")));
            all.add(new DeploymentHistory.Entry(Instant.now().toString(), action, from == null ? null : from.id(),
                    to == null ? null : to.id(), release, outcome, detail));
            try {
                d.put("history", JSON.writeValueAsString(all.size() > MAX_HISTORY ? all.subList(all.size() - MAX_HISTORY, all.size()) : all));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            return d;
        });
    }

    private ConfigMap get() {
        return client.configMaps().inNamespace(config.namespace()).withName(config.stateName()).get();
    }

    /** From now until the matching {@link #flush()}, changes are kept and written together. */
    synchronized void hold() {
        holding++;
    }

    /** Writes what was kept since the outermost {@link #hold()}, in one guarded write. */
    synchronized void flush() {
        if (--holding > 0 || pending.isEmpty()) {
            return;
        }
        List<UnaryOperator<Map<String, String>>> all = List.copyOf(pending);
        pending.clear();
        write(d -> {
            for (UnaryOperator<Map<String, String>> c : all) {
                d = c.apply(d);
            }
            return d;
        });
    }

    private synchronized void update(UnaryOperator<Map<String, String>> change) {
        if (holding > 0) {
            pending.add(change);
        } else {
            write(change);
        }
    }

    /** Read, change, write guarded by the resourceVersion; a concurrent writer makes it read and change again. */
    private void write(UnaryOperator<Map<String, String>> change) {
        for (int attempt = 1; ; attempt++) {
            ConfigMap cm = get();
            try {
                if (cm == null) {
                    client.configMaps().inNamespace(config.namespace()).resource(new ConfigMapBuilder().withNewMetadata()
                            .withName(config.stateName()).withNamespace(config.namespace()).addToLabels("app", config.name())
                            .endMetadata().withData(change.apply(new LinkedHashMap<>())).build()).create();
                } else {
                    cm.setData(change.apply(new LinkedHashMap<>(cm.getData() == null ? Map.of() : cm.getData())));
                    client.configMaps().inNamespace(config.namespace()).resource(cm).lockResourceVersion(cm.getMetadata().getResourceVersion())
                            .update();
                }
                return;
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409 || attempt >= 5) {
                    throw new SwitchbackException(ErrorCode.FAILED, "Could not write ConfigMap " + config.stateName() + ": " + e.getMessage(), e);
                }
            }
        }
    }

    private static List<DeploymentHistory.Entry> history(String json) {
        if (json == null || json.isBlank()) {
            return List.of();
        }
        try {
            return JSON.readValue(json, new TypeReference<List<DeploymentHistory.Entry>>() {
            });
        } catch (IOException e) {
            throw new SwitchbackException(ErrorCode.FAILED, "The history in ConfigMap is unreadable: " + e.getMessage(), e);
        }
    }
}

package dev.switchback.deploy.notify;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One thing that happened to the deployment, as notified.
 *
 * @param release the release it is about, or null
 * @param slot    the slot it is about (blue or green), or null
 * @param message one line for a person
 * @param details the numbers behind it (a verdict's requests, errors, p99; a failover's timing), never secrets
 */
public record DeployEvent(DeployEventType type, String release, String slot, String message, Map<String, Object> details,
                          Instant at) {
    public DeployEvent {
        details = details == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(details));
        at = at == null ? Instant.now() : at;
    }

    public static DeployEvent of(DeployEventType type, String release, String slot, String message) {
        return new DeployEvent(type, release, slot, message, Map.of(), null);
    }
}

package dev.switchback.deploy.notify;

import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/** What a notification is about; in {@code deploy.notify[].events} and the JSON payload as the lowercase, dashed name. */
public enum DeployEventType {
    ROLLOUT_STARTED, STEP_REACHED, PAUSED, PROMOTED, ROLLED_BACK, SWITCHED, FAILOVER, PERFORM_FAILED;

    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The type named {@code value} ("rolled-back" or "rolled_back", any case), or null. */
    public static DeployEventType find(String value) {
        String v = String.valueOf(value).strip().toLowerCase(Locale.ROOT).replace('_', '-');
        for (DeployEventType t : values()) {
            if (t.id().equals(v)) {
                return t;
            }
        }
        return null;
    }
}

package dev.switchback.deploy;

import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/** Where a slot's release is in its life; written to state.json and shown by status as the lowercase name. */
public enum SlotStatus {
    STARTING, ACTIVE, STANDBY, STOPPED, FAILED,
    /** Takes a canary's share of the traffic beside the active slot. */
    CANARY,
    /** Its instances serve beside the active slot's during a rolling update. */
    ROLLING,
    /** Only in status: the record says it runs, but its process is gone. */
    EXITED;

    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}

package dev.switchback.deploy.rollout;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/** Where a rollout is; written in lower case in rollout.json and status. */
public enum RolloutState {
    /** A canary takes its step's share of traffic and is judged. */
    RUNNING,
    /** Waiting for {@code upgrade promote}: a {@code pause} step, or no verdict within the progress deadline. */
    PAUSED,
    /** Blue-green: the new active release is judged against the previous one's figures from before the switch. */
    WATCHING,
    /** A rolling update that failed puts the previous release's instances back, batch by batch. */
    ROLLING_BACK,
    PROMOTED,
    ROLLED_BACK,
    ABORTED;

    public boolean live() {
        return this == RUNNING || this == PAUSED || this == WATCHING || this == ROLLING_BACK;
    }

    @JsonValue
    public String json() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static RolloutState parse(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}

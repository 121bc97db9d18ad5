package dev.switchback.deploy;

import dev.switchback.migration.ErrorCode;
import dev.switchback.migration.SwitchbackException;

import java.util.Locale;

/** The two places a release runs in: one serves, the other is idle or warm for rollback. */
public enum Slot {
    BLUE, GREEN;

    public Slot other() {
        return this == BLUE ? GREEN : BLUE;
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Slot parse(String s) {
        try {
            return valueOf(String.valueOf(s).strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new SwitchbackException(ErrorCode.CONFIG, "'" + s + "' is not a slot: use blue or green");
        }
    }
}

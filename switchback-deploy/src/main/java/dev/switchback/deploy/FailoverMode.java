package dev.switchback.deploy;

import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/** What the daemon does when the active release exits or stops answering its health check ({@code deploy.failover}). */
public enum FailoverMode {
    /** Traffic to the warm standby at once, then the dead release restarted in its slot; without a warm standby, as RESTART. */
    STANDBY,
    /** The dead release restarted in place with backoff; requests meanwhile get 502 with Retry-After. */
    RESTART,
    /** Only logged and recorded. */
    NONE;

    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The mode named {@code value}, or null (with a problem added) when it names none. */
    static FailoverMode parse(String value, java.util.List<String> problems) {
        for (FailoverMode m : values()) {
            if (m.id().equals(String.valueOf(value).strip().toLowerCase(Locale.ROOT))) {
                return m;
            }
        }
        problems.add("deploy.failover must be standby, restart or none, was '" + value + "'");
        return STANDBY;
    }
}

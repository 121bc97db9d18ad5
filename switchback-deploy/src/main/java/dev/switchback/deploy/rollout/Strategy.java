package dev.switchback.deploy.rollout;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.switchback.migration.ErrorCode;
import dev.switchback.migration.SwitchbackException;

import java.util.Locale;

/** How {@code upgrade perform} moves traffic ({@code deploy.strategy}, {@code --strategy}). */
public enum Strategy {
    /** All at once after the health gate, then watched for {@code deploy.bluegreen.watch}. */
    BLUEGREEN,
    /** Weighted steps, each judged against the stable release serving at the same time. */
    CANARY,
    /** Instance by instance in place of the previous release's, with no second copy of the whole service. */
    ROLLING;

    @JsonValue
    public String json() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static Strategy parse(String value) {
        String v = value == null ? "" : value.strip().toLowerCase(Locale.ROOT).replace("-", "");
        return switch (v) {
            case "bluegreen" -> BLUEGREEN;
            case "canary" -> CANARY;
            case "rolling" -> ROLLING;
            default -> throw new SwitchbackException(ErrorCode.CONFIG, "strategy '" + value + "' is not one of bluegreen, canary, rolling");
        };
    }
}

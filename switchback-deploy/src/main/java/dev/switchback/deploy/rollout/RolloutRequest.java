package dev.switchback.deploy.rollout;

import java.time.Duration;

/**
 * What {@code upgrade perform} asks of the rollout; null takes the configured value.
 *
 * @param strategy     {@code --strategy}
 * @param stepDuration {@code --step-duration}
 */
public record RolloutRequest(Strategy strategy, Duration stepDuration) {
    public static final RolloutRequest CONFIGURED = new RolloutRequest(null, null);

    public RolloutSettings applyTo(RolloutSettings configured) {
        RolloutSettings s = strategy == null ? configured : configured.withStrategy(strategy);
        return stepDuration == null ? s : s.withStepDuration(stepDuration);
    }
}

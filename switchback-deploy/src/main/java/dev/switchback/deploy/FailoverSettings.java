package dev.switchback.deploy;

import java.time.Duration;

/**
 * How the active release is watched and what happens when it dies.
 *
 * @param liveInterval       time between liveness checks of the active release ({@code deploy.service.healthCheck.liveInterval});
 *                           its process exit is seen at once, not only at this interval
 * @param unhealthyThreshold consecutive failed health checks that make a running release dead
 * @param mode               {@code deploy.failover}
 */
public record FailoverSettings(Duration liveInterval, int unhealthyThreshold, FailoverMode mode) {
    public static final FailoverSettings DEFAULTS = new FailoverSettings(Duration.ofSeconds(2), 3, FailoverMode.STANDBY);
}

package dev.switchback.deploy.rollout;

import java.time.Instant;

/** What one look of the engine means for a strategy. */
interface RolloutStrategy {
    void look(Instant now);

    /** The daemon restarted with this rollout live: its counters start again from zero. */
    default void resumed() {
    }
}

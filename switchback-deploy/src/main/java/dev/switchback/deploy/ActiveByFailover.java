package dev.switchback.deploy;

import java.util.List;
import java.util.Set;

/**
 * Whether the active slot serves because the liveness watch failed over to it: the newest history entry that moved
 * traffic is a failover into that slot. Its release is then the one a failover fell back to, not the one an upgrade put
 * there, and undoing "its" schema would undo what the release it replaced still needs.
 */
final class ActiveByFailover {
    /** History actions that move traffic, with the outcome that means they did. */
    private static final Set<String> MOVES = Set.of("perform/success", "switch/success", "rollback/success", "promote/success",
            "watch/rolled back", "failover/success");

    private ActiveByFailover() {
    }

    /** The failover entry that made {@code active} the active slot, or null when an operator's move did. */
    static DeploymentHistory.Entry of(List<DeploymentHistory.Entry> history, Slot active) {
        for (int i = history.size() - 1; i >= 0; i--) {
            DeploymentHistory.Entry e = history.get(i);
            if (MOVES.contains(e.action() + "/" + e.outcome()) && !(e.action().equals("perform") && !"switched".equals(e.detail()))) {
                return e.action().equals("failover") && active.id().equals(e.to()) ? e : null;
            }
        }
        return null;
    }
}

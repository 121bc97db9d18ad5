package dev.switchback.deploy;

import java.util.List;
import java.util.Map;

/** What {@code upgrade status --json} prints. */
public record StatusView(String active, String standby, Map<String, Slot> slots, boolean maintenance,
                         String maintenanceMessage, List<DeploymentHistory.Entry> history) {

    /**
     * One slot: its release, state, process, port, and whether it answers its health check now.
     *
     * @param processes the web process and every worker instance of the slot
     */
    public record Slot(String release, SlotStatus state, Long pid, Integer port, Boolean healthy, String started,
                       List<dev.switchback.deploy.workers.ProcessView> processes) {
    }
}

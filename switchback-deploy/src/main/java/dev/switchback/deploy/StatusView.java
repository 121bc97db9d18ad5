package dev.switchback.deploy;

import java.util.List;
import java.util.Map;

/** What {@code upgrade status --json} prints. */
public record StatusView(String active, String standby, Map<String, Slot> slots, boolean maintenance,
                         String maintenanceMessage, List<DeploymentHistory.Entry> history) {

    /** One slot: its release, state, process, port, and whether it answers its health check now. */
    public record Slot(String release, SlotStatus state, Long pid, Integer port, Boolean healthy, String started) {
    }
}

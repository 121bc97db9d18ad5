package dev.switchback.deploy;

import java.util.Map;

/**
 * {@code .switchback/state.json}: which slot serves, what runs in each, maintenance. Written atomically.
 *
 * @param active the slot taking traffic, or null before the first perform
 */
public record DeploymentState(String active, Map<String, SlotState> slots, boolean maintenance, String maintenanceMessage) {
    public static final DeploymentState INITIAL = new DeploymentState(null,
            Map.of("blue", SlotState.EMPTY, "green", SlotState.EMPTY), false, null);

    public SlotState slot(Slot s) {
        return slots.getOrDefault(s.id(), SlotState.EMPTY);
    }

    public Slot activeSlot() {
        return active == null ? null : Slot.parse(active);
    }

    public DeploymentState with(Slot s, SlotState value) {
        Map<String, SlotState> copy = new java.util.TreeMap<>(slots);
        copy.put(s.id(), value);
        return new DeploymentState(active, copy, maintenance, maintenanceMessage);
    }

    public DeploymentState withActive(Slot s) {
        return new DeploymentState(s == null ? null : s.id(), slots, maintenance, maintenanceMessage);
    }

    public DeploymentState withMaintenance(boolean on, String message) {
        return new DeploymentState(active, slots, on, on ? message : null);
    }
}

package dev.switchback.deploy;

/**
 * What runs in a slot.
 *
 * @param state   {@code starting}, {@code active}, {@code standby}, {@code stopped} or {@code failed}
 * @param started ISO-8601 start time
 * @param log     the release's log file
 */
public record SlotState(String release, String state, Long pid, Integer port, String started, String log) {
    public static final SlotState EMPTY = new SlotState(null, "stopped", null, null, null, null);

    public SlotState withState(String newState) {
        return new SlotState(release, newState, pid, port, started, log);
    }

    public boolean running() {
        return pid != null && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }
}

package dev.switchback.deploy;

/**
 * What runs in a slot.
 *
 * @param pidStartTime the release process's start time from /proc (see {@link ReleaseProcess}): a pid whose start time
 *                     differs is another program and is never adopted, signalled or killed
 * @param started      ISO-8601 start time
 * @param log          the release's log file
 */
public record SlotState(String release, SlotStatus state, Long pid, Long pidStartTime, Integer port, String started, String log) {
    public static final SlotState EMPTY = new SlotState(null, SlotStatus.STOPPED, null, null, null, null, null);

    public SlotState withState(SlotStatus newState) {
        return new SlotState(release, newState, pid, pidStartTime, port, started, log);
    }

    /** The same release, recorded as not running: no process, no port. */
    public SlotState stopped(SlotStatus newState) {
        return new SlotState(release, newState, null, null, null, started, log);
    }

    /** The recorded process, or null when none is recorded. */
    public ReleaseProcess process() {
        return pid == null ? null : new ReleaseProcess(pid, pidStartTime);
    }

    /** Whether the recorded process itself still runs (the same process: a recycled pid does not count). */
    public boolean running() {
        return pid != null && process().alive();
    }
}

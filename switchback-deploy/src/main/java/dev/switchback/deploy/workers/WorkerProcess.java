package dev.switchback.deploy.workers;

import dev.switchback.deploy.ReleaseProcess;

/**
 * One running (or due to be restarted) worker instance as {@code workers.json} records it.
 *
 * @param pid          null while it waits for a restart
 * @param pidStartTime from /proc, as for the web process: a pid whose start time differs is another program
 * @param restarts     how often it was restarted after exiting
 */
public record WorkerProcess(String name, int instance, String release, Long pid, Long pidStartTime, Integer port, String started,
                            String log, int restarts) {

    public ReleaseProcess process() {
        return pid == null ? null : new ReleaseProcess(pid, pidStartTime);
    }

    /** The recorded process itself runs (a recycled pid does not count). */
    public boolean running() {
        return pid != null && process().alive();
    }

    /** Recorded as gone: no process, waiting for its restart. */
    WorkerProcess exited() {
        return new WorkerProcess(name, instance, release, null, null, null, started, log, restarts);
    }

    public String key() {
        return name + "#" + instance;
    }
}

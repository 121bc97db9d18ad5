package dev.switchback.deploy.rollout;

import dev.switchback.deploy.Slot;

import java.util.SortedMap;

/**
 * What a rolling update needs from the deployer: the instances of each slot and the moves on one of them. Called under
 * the deployer's lock; each move returns once it is done (a start once the instance passed its health gate).
 */
public interface InstanceMoves {
    /** {@code deploy.service.replicas}. */
    int replicas();

    /** The web process's instances recorded in {@code slot} and running, by number: whether each serves (passed its gate). */
    SortedMap<Integer, Boolean> web(Slot slot);

    /** Starts instance {@code n} of {@code release}'s web process in {@code slot} (or keeps it) and gates it; null when it serves. */
    String startWeb(Slot slot, String release, int n);

    /** Takes instance {@code n} of {@code slot} out of the pool, lets its requests finish (up to drainTimeout), stops it. */
    void stopWeb(Slot slot, int n);

    /**
     * The workers with {@code critical} as given (instance {@code n} of worker {@code name} alone when name is not null)
     * that {@code release} lacks in {@code slot} start and are gated; null when healthy, else why (those are stopped).
     */
    String startWorkers(Slot slot, String release, boolean critical, String name, int n);

    /** Stops {@code slot}'s workers with {@code critical} as given (instance {@code n} of {@code name} alone when not null). */
    void stopWorkers(Slot slot, boolean critical, String name, int n);

    /** Whether any worker is not critical (those are replaced first, all at once). */
    boolean nonCriticalWorkers();

    /** The critical workers' instances, in order, as {@code name#n}. */
    java.util.List<String> criticalInstances();

    /** Whether instance {@code n} of worker {@code name} runs in {@code slot}. */
    boolean runsWorkers(Slot slot, String name, int n);

    /** {@code slot} (running instance 0) becomes the active, routed slot alone; the rolling pool ends. */
    void finish(Slot slot, String detail);
}

package dev.switchback.deploy.rollout;

import dev.switchback.deploy.Slot;
import dev.switchback.deploy.analysis.Verdict;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;

/**
 * A rolling update: the new release's instances take the place of the previous release's a batch at a time, never more
 * than {@code replicas + maxSurge} of them and never fewer than {@code replicas - maxUnavailable} serving. Non-critical
 * workers first, then the web instances (start, gate, into the pool, then one old one drained and stopped), then the
 * critical workers one at a time. The new instances are recorded in the other slot, and the router pools both slots'
 * instances until the last old one goes. While both serve, the judge compares the new ones with the old ones; a fail, a
 * failed health gate or the progress deadline rolls every replaced instance back the same way.
 *
 * <p>Each look does at most one batch and derives what is left from what runs, so a daemon restarted in the middle
 * (even after SIGKILL) adopts every running instance of both releases and goes on from there, never starting one twice.
 */
final class Rolling implements RolloutStrategy {
    static final int WORKERS = 0;
    static final int WEB = 1;
    static final int CRITICAL = 2;
    private final RolloutEngine e;
    private final InstanceMoves moves;
    private final RollingSettings settings;

    Rolling(RolloutEngine engine, InstanceMoves moves, RollingSettings settings) {
        this.e = engine;
        this.moves = moves;
        this.settings = settings;
    }

    @Override
    public void look(Instant now) {
        Rollout r = e.rollout();
        boolean back = r.state() == RolloutState.ROLLING_BACK;
        Verdict v = null;
        if (!back) {
            v = e.judge.look(Windows.of(e.traffic.traffic(Slot.parse(r.slot())).minus(e.canaryBase)),
                    Windows.of(e.traffic.traffic(Slot.parse(r.stable())).minus(e.stableBase)));
            e.note(v, v.failed());
            if (v.failed()) {
                rollBack(v.reason(), now);
                return;
            }
            if (!now.isBefore(Instant.parse(r.started()).plusMillis(r.progressDeadlineMs()))) {
                rollBack("not done within " + r.progressDeadlineMs() / 1000 + "s (deploy.rolling.progressDeadline)", now);
                return;
            }
        }
        Slot to = Slot.parse(back ? r.stable() : r.slot());
        String release = back ? r.stableRelease() : r.release();
        String failed = switch (r.step()) {
            case WORKERS -> workers(to, release, now);
            case WEB -> web(to, release, now, judged(v, now));
            default -> critical(to, release, now);
        };
        if (failed == null) {
            return;
        }
        if (back) {
            e.end(RolloutState.ABORTED, "rolling back to " + release + " failed: " + failed + "; instances of both releases may "
                    + "run (`switchback upgrade status`)");
        } else {
            rollBack(failed, now);
        }
    }

    @Override
    public void resumed() {
        e.traffic.join(Slot.parse(e.rollout().slot()) == e.host.activeSlot() ? Slot.parse(e.rollout().stable())
                : Slot.parse(e.rollout().slot()));
    }

    /**
     * The operator's abort, a fail, a failed gate or the deadline: every replaced instance goes back, the same way. The
     * pools are joined again first: after the last web batch the new slot serves alone, and the old slot's instances
     * restarted one by one must share the traffic while the new ones are drained.
     */
    void rollBack(String why, Instant now) {
        resumed();
        Rollout r = e.rollout();
        e.record(RolloutVerdict.of(now.toString(), "fail", "rolling", why, r.step(), r.weight()));
        e.save(e.rollout().atStep(WORKERS, r.weight(), now.toString()).with(RolloutState.ROLLING_BACK, why, now));
    }

    private String workers(Slot to, String release, Instant now) {
        if (moves.nonCriticalWorkers()) {
            String failed = moves.startWorkers(to, release, false, null, 0);
            if (failed != null) {
                return failed;
            }
            moves.stopWorkers(to.other(), false, null, 0);
            step("non-critical workers run " + release);
        }
        e.save(e.rollout().atStep(WEB, e.rollout().weight(), now.toString()).with(e.rollout().state(), e.rollout().reason(), now));
        return null;
    }

    /** A batch done: recorded as a step in the rollout's verdicts (status and the following CLI show it). */
    private void step(String what) {
        Rollout r = e.rollout();
        // stamped when the batch is done, not when the look that did it began (a gate takes seconds)
        e.record(RolloutVerdict.of(e.clock.instant().toString(), "step", "step", what, r.step(), r.weight()));
    }

    /**
     * Whether the new instances so far have been judged on latency too, so that the next batch may start and the last
     * old instance may go: the warm-up is over and the judge passes them, or so little traffic came that
     * {@code minRequests} a side were not served within {@code deploy.analysis.interval} after the warm-up (an
     * update of an idle service must not wait for traffic forever; the verdicts recorded say so). Always when rolling
     * back: the way back is not judged.
     */
    private boolean judged(Verdict v, Instant now) {
        if (v == null || v.verdict() == Verdict.Outcome.PASS) {
            return true;
        }
        return v.cause() == Verdict.Cause.TOO_FEW_REQUESTS && !now.isBefore(e.warmUntil.plus(e.analysis.interval()));
    }

    /** One batch of web instances, once the judge has judged the ones before it. */
    private String web(Slot to, String release, Instant now, boolean judged) {
        Slot from = to.other();
        int n = moves.replicas();
        boolean back = e.rollout().state() == RolloutState.ROLLING_BACK;
        SortedMap<Integer, Boolean> have = moves.web(to);
        boolean started = false;
        for (var i : have.entrySet()) {
            if (!i.getValue()) {
                // started before a daemon restart, not yet through its gate
                String failed = moves.startWeb(to, release, i.getKey());
                if (failed != null) {
                    return failed;
                }
                started = true;
            }
        }
        if (started && !back) {
            e.warming(e.clock.instant());
            judged = false;
        }
        List<Integer> missing = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (!have.containsKey(i)) {
                missing.add(i);
            }
        }
        if (!missing.isEmpty() && !have.isEmpty()
                && (!judged || now.isBefore(Instant.parse(e.rollout().stepStarted()).plus(settings.pause())))) {
            return null;
        }
        int oldBefore = moves.web(from).size();
        if (!missing.isEmpty()) {
            SortedMap<Integer, Boolean> old = moves.web(from);
            // capacity may dip by maxUnavailable, but one old instance stays until a new instance 0 serves the slot
            for (int k = Math.min(settings.maxUnavailable(), old.size() - 1); k > 0; k--) {
                moves.stopWeb(from, moves.web(from).lastKey());
            }
            // never more than replicas + maxSurge: instances left beyond replicas (a batch cut short by a restart) count
            int room = n + settings.maxSurge() - have.size() - moves.web(from).size();
            int batch = Math.max(0, Math.min(room, missing.size()));
            for (int i : missing.subList(0, batch)) {
                String failed = moves.startWeb(to, release, i);
                if (failed != null) {
                    return failed;
                }
            }
            if (batch > 0) {
                started = true;
                if (!back) {
                    e.warming(e.clock.instant());
                    judged = false;
                }
            }
        }
        retireSurplus(to, n, judged);
        have = moves.web(to);
        boolean done = have.size() == n && moves.web(from).isEmpty();
        if (!started && !done && moves.web(from).size() == oldBefore) {
            return null; // the last old instance waits for the judge
        }
        Rollout r = e.rollout();
        // deploy.rolling.wait counts from the end of the batch (its health gates take seconds), not from the look's start
        e.save(r.atStep(done ? CRITICAL : WEB, have.size() * 100 / n, e.clock.instant().toString()).with(r.state(), r.reason(), now));
        step(have.size() + " of " + n + " web instance(s) run " + release + " and serve");
        return null;
    }

    /**
     * Old instances beyond {@code replicas} drained and stopped, highest first; before the last, the new slot takes over.
     * The last old instance stays until the new ones are {@code judged}: without it there is nothing to compare them with.
     */
    private void retireSurplus(Slot to, int n, boolean judged) {
        Slot from = to.other();
        SortedMap<Integer, Boolean> old = moves.web(from);
        while (!old.isEmpty() && moves.web(to).size() + old.size() > n) {
            if (old.size() == 1 && !judged) {
                return;
            }
            if (old.size() == 1) {
                moves.finish(to, "rolling update: every web instance runs " + e.rollout().release());
            }
            moves.stopWeb(from, old.lastKey());
            old = moves.web(from);
        }
    }

    /** One critical worker instance at a time: the new one gated, then the old one stopped. */
    private String critical(Slot to, String release, Instant now) {
        for (String key : moves.criticalInstances()) {
            String name = key.substring(0, key.lastIndexOf('#'));
            int i = Integer.parseInt(key.substring(key.lastIndexOf('#') + 1));
            if (!moves.runsWorkers(to, name, i)) {
                String failed = moves.startWorkers(to, release, true, name, i);
                if (failed != null) {
                    return failed;
                }
                moves.stopWorkers(to.other(), true, name, i);
                step("critical worker " + key + " runs " + release + " and is healthy");
                return null;
            }
        }
        moves.stopWorkers(to.other(), true, null, 0);
        Rollout r = e.rollout();
        moves.finish(to, "rolling update " + (r.state() == RolloutState.ROLLING_BACK ? "rolled back" : "done"));
        if (r.state() == RolloutState.ROLLING_BACK) {
            e.end(RolloutState.ROLLED_BACK, r.reason() + "; every replaced instance runs " + r.stableRelease() + " again");
        } else {
            e.end(RolloutState.PROMOTED, "rolling update done: " + moves.replicas() + " instance(s) of " + r.release() + " replaced "
                    + r.stableRelease() + "'s; no warm slot is left (`switchback upgrade rollback` rolls back instance by instance)");
        }
        return null;
    }
}

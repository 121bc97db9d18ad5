package dev.switchback.deploy.rollout;

import dev.switchback.deploy.Slot;
import dev.switchback.deploy.SlotTraffic;
import dev.switchback.deploy.analysis.Verdict;

import java.time.Instant;

/**
 * After a blue-green switch, for {@code deploy.bluegreen.watch}: the new active release is judged against what the
 * previous release served in the minutes before the switch (its error rate and latencies, scaled to as many requests as
 * the new one has served); a fail sends traffic back to the previous release, still warm. Unlike a canary's, the two
 * sides did not serve at the same time, so a change in load or time of day between them is not cancelled out.
 */
final class BlueGreenWatch implements RolloutStrategy {
    private final RolloutEngine e;

    BlueGreenWatch(RolloutEngine engine) {
        this.e = engine;
    }

    @Override
    public void look(Instant now) {
        Rollout r = e.rollout();
        Slot watched = Slot.parse(r.slot());
        boolean over = !now.isBefore(Instant.parse(r.started()).plusMillis(r.stepDurationMs()));
        SlotTraffic served = e.traffic.traffic(watched).minus(e.canaryBase);
        SlotTraffic baseline = r.baseline() == null ? SlotTraffic.NONE : r.baseline();
        if (baseline.requests() < e.analysis.minRequests()) {
            if (over) {
                e.end(RolloutState.PROMOTED, "not judged: " + r.stableRelease() + " served only " + baseline.requests()
                        + " requests before the switch (deploy.analysis.minRequests is " + e.analysis.minRequests() + ")");
            }
            return;
        }
        Verdict v = e.judge.look(Windows.of(served), Windows.of(Windows.scaled(baseline, served.requests())));
        e.note(v, v.failed() || over);
        if (v.failed()) {
            e.switchBack(v.reason(), RolloutState.ROLLED_BACK);
        } else if (over) {
            e.end(RolloutState.PROMOTED, "watched for " + r.stepDurationMs() / 1000 + "s: " + v.reason());
        }
    }

    @Override
    public void resumed() {
        Rollout r = e.rollout();
        if (e.host.runningPort(Slot.parse(r.stable())) == null) {
            e.end(RolloutState.ABORTED, "watch ended: " + r.stableRelease() + " no longer runs warm after the daemon restarted");
        }
    }
}

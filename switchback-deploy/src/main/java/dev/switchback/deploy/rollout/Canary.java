package dev.switchback.deploy.rollout;

import dev.switchback.deploy.Slot;
import dev.switchback.deploy.Stickiness;
import dev.switchback.deploy.analysis.Verdict;

import java.time.Duration;
import java.time.Instant;

/**
 * A canary through weighted steps: each step is held at least {@code stepDuration} and left only on a pass; a
 * {@code pause} step waits for {@code upgrade promote}; a fail sends every request back to stable at once and stops the
 * canary; a step without a verdict for {@code progressDeadline} pauses with the reason (a release nobody used is never
 * promoted). Reaching 100 makes the canary the active slot, the stable one staying warm as after a blue-green switch.
 */
final class Canary implements RolloutStrategy {
    private final RolloutEngine e;

    Canary(RolloutEngine engine) {
        this.e = engine;
    }

    @Override
    public void look(Instant now) {
        Rollout r = e.rollout();
        Slot canary = Slot.parse(r.slot());
        Slot stable = Slot.parse(r.stable());
        if (e.host.runningPort(canary) == null) {
            rollBack(RolloutState.ROLLED_BACK, "the canary's process exited");
            return;
        }
        Verdict v = e.judge.look(Windows.of(e.traffic.traffic(canary).minus(e.canaryBase)),
                Windows.of(e.traffic.traffic(stable).minus(e.stableBase)));
        boolean stepDone = v.verdict() == Verdict.Outcome.PASS && r.state() == RolloutState.RUNNING
                && !now.isBefore(Instant.parse(r.stepStarted()).plusMillis(r.stepDurationMs()));
        e.note(v, v.failed() || stepDone);
        if (v.failed()) {
            rollBack(RolloutState.ROLLED_BACK, v.reason());
            return;
        }
        if (r.state() == RolloutState.PAUSED) {
            return;
        }
        if (v.verdict() == Verdict.Outcome.PASS) {
            e.progress = now;
            if (stepDone) {
                advance(now);
            }
            return;
        }
        if (!now.isBefore(e.progress.plus(deadline()))) {
            String why = "no verdict for " + deadline().toSeconds() + "s (deploy.canary.progressDeadline) at " + r.weight()
                    + "%: " + v.reason() + ". `switchback upgrade promote` goes on anyway, `switchback upgrade abort` rolls back";
            e.save(r.with(RolloutState.PAUSED, why));
        }
    }

    @Override
    public void resumed() {
        Rollout r = e.rollout();
        if (e.host.runningPort(Slot.parse(r.slot())) == null) {
            rollBack(RolloutState.ROLLED_BACK, "the canary's process was gone when the daemon restarted");
        }
    }

    private Duration deadline() {
        return Duration.ofMillis(e.rollout().progressDeadlineMs());
    }

    /** To the next step: a new weight (judged afresh), a pause, or 100 and promotion. */
    void advance(Instant now) {
        Rollout r = e.rollout();
        int next = r.step() + 1;
        if (next >= r.steps().size() || r.steps().get(next) >= 100) {
            promote("every step passed");
            return;
        }
        int item = r.steps().get(next);
        if (item == RolloutSettings.PAUSE) {
            e.save(r.atStep(next, r.weight(), now.toString()).with(RolloutState.PAUSED, "step " + (next + 1)
                    + " is a pause: `switchback upgrade promote` goes on"));
            return;
        }
        Slot canary = Slot.parse(r.slot());
        e.traffic.split(canary, e.host.runningPort(canary), item, Stickiness.parse(r.sticky()), r.id());
        e.save(r.atStep(next, item, now.toString()).with(RolloutState.RUNNING, null));
        e.startStep(now);
        e.record(RolloutVerdict.of(now.toString(), "step", "step", "step " + (next + 1) + " of " + r.steps().size() + ": "
                + item + "% of clients on " + r.release(), next, item));
    }

    void promote(String why) {
        Rollout r = e.rollout();
        e.host.promote(Slot.parse(r.slot()), why);
        e.save(r.withWeight(100));
        e.end(RolloutState.PROMOTED, why + ": " + r.release() + " serves all traffic, " + r.stableRelease() + " stays warm in "
                + r.stable());
    }

    void rollBack(RolloutState state, String why) {
        Rollout r = e.rollout();
        Slot canary = Slot.parse(r.slot());
        // weight 0 first: every request goes to stable from the next one on, whatever the cookies say
        e.traffic.split(canary, e.host.runningPort(canary), 0, Stickiness.parse(r.sticky()), r.id());
        e.traffic.split(null, null, 0, Stickiness.parse(r.sticky()), r.id());
        e.save(r.withWeight(0));
        e.host.stopCanary(canary, state == RolloutState.ABORTED ? "aborted" : "rolled back", why);
        e.end(state, why + "; all traffic is back on " + r.stableRelease() + " (" + r.stable() + ")");
    }
}

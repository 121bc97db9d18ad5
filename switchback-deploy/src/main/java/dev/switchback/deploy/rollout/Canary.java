package dev.switchback.deploy.rollout;

import dev.switchback.deploy.Slot;
import dev.switchback.deploy.Stickiness;
import dev.switchback.deploy.analysis.Verdict;
import dev.switchback.deploy.notify.DeployEventType;

import java.time.Duration;
import java.time.Instant;
import java.util.OptionalDouble;

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
        OptionalDouble external = v.failed() ? null : e.external(now);
        if (external != null && external.isPresent() && external.getAsDouble() > e.externalMetric().max()) {
            String why = "deploy.analysis.prometheus: " + e.externalMetric().query() + " is " + external.getAsDouble()
                    + " for the canary, above its max " + e.externalMetric().max();
            e.record(RolloutVerdict.of(now.toString(), "fail", "external", why, r.step(), r.weight()));
            rollBack(RolloutState.ROLLED_BACK, why);
            return;
        }
        // an external metric that answered nothing is "not yet": the step neither passes nor advances
        boolean pass = v.verdict() == Verdict.Outcome.PASS && (external == null || external.isPresent());
        boolean stepDone = pass && r.state() == RolloutState.RUNNING
                && !now.isBefore(Instant.parse(r.stepStarted()).plusMillis(r.stepDurationMs()));
        e.note(v, v.failed() || stepDone);
        if (v.failed()) {
            rollBack(RolloutState.ROLLED_BACK, v.reason());
            return;
        }
        if (r.state() == RolloutState.PAUSED) {
            return;
        }
        // a warm-up is progress too: it ends by itself, and the deadline then counts from its end
        if (v.cause() == Verdict.Cause.WARMING_UP) {
            e.progress = now;
        }
        if (pass) {
            e.progress = now;
            if (stepDone) {
                advance(now);
            }
            return;
        }
        if (!now.isBefore(e.progress.plus(deadline()))) {
            String why = "no verdict for " + deadline().toSeconds() + "s (deploy.canary.progressDeadline) at " + r.weight()
                    + "%: " + (v.verdict() == Verdict.Outcome.PASS ? "deploy.analysis.prometheus answered nothing for the canary ("
                    + e.externalMetric().query() + ")" : v.reason())
                    + ". `switchback upgrade promote` goes on anyway, `switchback upgrade abort` rolls back";
            e.paused(r.with(RolloutState.PAUSED, why, now));
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
            e.paused(r.atStep(next, r.weight(), now.toString()).with(RolloutState.PAUSED, "step " + (next + 1)
                    + " is a pause: `switchback upgrade promote` goes on", now));
            return;
        }
        Slot canary = Slot.parse(r.slot());
        e.traffic.split(canary, e.host.runningPort(canary), item, Stickiness.parse(r.sticky()), r.id());
        e.save(r.atStep(next, item, now.toString()).with(RolloutState.RUNNING, null, now));
        e.startStep(now);
        String step = "step " + (next + 1) + " of " + r.steps().size() + ": " + item + "% of clients on " + r.release();
        e.record(RolloutVerdict.of(now.toString(), "step", "step", step, next, item));
        e.notify(DeployEventType.STEP_REACHED, step);
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
        String cannot = e.cannotGoBack(r);
        if (cannot != null && e.host.runningPort(canary) != null) {
            // stable is gone: the canary, whatever its verdict, is the only release left that answers
            e.host.promote(canary, why + "; " + cannot);
            e.save(r.withWeight(100));
            e.end(RolloutState.ABORTED, why + "; " + cannot + ": all traffic is on " + r.release() + " (" + r.slot() + ")");
            return;
        }
        // weight 0 first: every request goes to stable from the next one on, whatever the cookies say
        e.traffic.split(canary, e.host.runningPort(canary), 0, Stickiness.parse(r.sticky()), r.id());
        e.traffic.split(null, null, 0, Stickiness.parse(r.sticky()), r.id());
        e.save(r.withWeight(0));
        e.host.stopCanary(canary, state == RolloutState.ABORTED ? "aborted" : "rolled back", why);
        e.end(state, why + "; all traffic is back on " + r.stableRelease() + " (" + r.stable() + ")");
    }
}

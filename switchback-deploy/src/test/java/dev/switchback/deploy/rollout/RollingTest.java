package dev.switchback.deploy.rollout;

import dev.switchback.deploy.Slot;
import dev.switchback.deploy.analysis.AnalysisSettings;
import dev.switchback.deploy.analysis.VirtualClock;
import dev.switchback.deploy.notify.DeployEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rolling update's batches with in-memory instances and a virtual clock: which slots the router pools, and when the
 * next batch starts. A health gate takes {@link #GATE} of virtual time.
 */
class RollingTest {
    private static final Duration GATE = Duration.ofSeconds(8);

    @TempDir
    Path dir;

    private final VirtualClock clock = new VirtualClock();
    private final Pools router = new Pools();
    private final Instances instances = new Instances();

    /** The defaults without a warm-up: the tests of batches and pools judge the traffic {@link #second} serves at once. */
    private static final AnalysisSettings NO_WARMUP = new AnalysisSettings(0.01, Duration.ofMillis(500), 50, 0.2,
            Duration.ofSeconds(10), Duration.ZERO);

    private RolloutEngine engine(RollingSettings settings) {
        return engine(settings, NO_WARMUP);
    }

    private RolloutEngine engine(RollingSettings settings, AnalysisSettings analysis) {
        RolloutEngine e = new RolloutEngine(new Object(), clock, router, instances, analysis, dir.resolve("rollout.json"));
        e.useInstances(instances, settings);
        e.startRolling("v2", Slot.GREEN, Slot.BLUE, "v1", settings);
        return e;
    }

    /** One second: 100 requests to each slot that runs web instances (the new ones taking {@code newMicros}), then a look. */
    private void second(RolloutEngine e, long newMicros) {
        for (int i = 0; i < 100; i++) {
            if (!instances.web.get(Slot.BLUE).isEmpty()) {
                router.serve(Slot.BLUE, false, 5_000);
            }
            if (!instances.web.get(Slot.GREEN).isEmpty()) {
                router.serve(Slot.GREEN, false, newMicros);
            }
        }
        clock.advance(Duration.ofSeconds(1));
        e.tick();
    }

    private void second(RolloutEngine e) {
        second(e, 5_000);
    }

    @Test
    void aRollbackAfterTheLastWebBatchPoolsTheOldSlotAgainUntilItIsDone() {
        RolloutEngine e = engine(new RollingSettings(1, 0, Duration.ZERO, Duration.ofMinutes(10)));
        for (int i = 0; i < 30 && e.current().step() != Rolling.CRITICAL; i++) {
            second(e);
        }
        assertThat(e.current().step()).isEqualTo(Rolling.CRITICAL);
        assertThat(instances.active).isEqualTo(Slot.GREEN);
        assertThat(router.joined).as("the new slot serves alone").isNull();

        e.abort();
        assertThat(router.joined).as("the old slot's restarted instances share the traffic").isEqualTo(Slot.BLUE);
        for (int i = 0; i < 10 && e.current().state().live(); i++) {
            e.tick();
            assertThat(instances.serving(instances.active) + (router.joined == null ? 0 : instances.serving(router.joined)))
                    .as("instances the router sends to").isGreaterThanOrEqualTo(instances.replicas());
        }
        assertThat(e.current().state()).isEqualTo(RolloutState.ROLLED_BACK);
        assertThat(instances.web.get(Slot.BLUE)).hasSize(3);
        assertThat(instances.web.get(Slot.GREEN)).isEmpty();
        assertThat(router.joined).isNull();
    }

    @Test
    void theWaitCountsFromTheEndOfTheBatchNotFromTheLookThatStartedIt() {
        RolloutEngine e = engine(new RollingSettings(1, 0, Duration.ofSeconds(10), Duration.ofMinutes(10)));
        e.tick();
        e.tick();
        assertThat(instances.web.get(Slot.GREEN)).as("the first batch").hasSize(1);

        for (int i = 0; i < 2; i++) { // judged (100 requests a side a second), and 10s after the batch began
            second(e);
        }
        assertThat(instances.web.get(Slot.GREEN)).as("10s after the batch began, but only 2s after it ended").hasSize(1);

        clock.advance(GATE.minus(Duration.ofSeconds(1)));
        second(e);
        assertThat(instances.web.get(Slot.GREEN)).as("10s after the first batch ended").hasSize(2);
    }

    @Test
    void whileLiveTheOtherSlotIsJoinedAndAnEndOfAnyKindLeavesTheActiveSlotServingAlone() {
        RolloutEngine e = engine(new RollingSettings(1, 0, Duration.ZERO, Duration.ofMinutes(10)));
        e.tick();
        e.tick();
        assertThat(e.joined()).as("an instance 0 dying now is restarted while the joined slot serves").isEqualTo(Slot.GREEN);
        assertThat(router.joined).isEqualTo(Slot.GREEN);

        e.failedOver(Slot.BLUE, "every instance exited");
        assertThat(e.current().state()).isEqualTo(RolloutState.ABORTED);
        assertThat(e.joined()).isNull();
        assertThat(router.joined).as("no longer pooled with the active slot").isNull();
    }

    @Test
    void instancesLeftBeyondReplicasByARestartInTheMiddleOfABatchCountAgainstMaxSurge() {
        RolloutEngine e = engine(new RollingSettings(1, 0, Duration.ZERO, Duration.ofMinutes(10)));
        instances.web.get(Slot.GREEN).put(0, true);
        for (int i = 0; i < 30 && e.current().state().live(); i++) {
            second(e);
        }
        assertThat(e.current().state()).isEqualTo(RolloutState.PROMOTED);
        assertThat(instances.peak).as("replicas + maxSurge").isEqualTo(4);
    }

    @Test
    void eachBatchIsJudgedAfterItsWarmUpBeforeTheNextStartsAndTheLastOldInstanceWaitsForIt() {
        RolloutEngine e = engine(new RollingSettings(1, 0, Duration.ZERO, Duration.ofMinutes(10)), AnalysisSettings.DEFAULTS);
        second(e); // the workers' step
        second(e);
        assertThat(instances.web.get(Slot.GREEN)).as("the first batch").hasSize(1);
        for (int i = 0; i < 9; i++) {
            second(e);
        }
        assertThat(instances.web.get(Slot.GREEN)).as("within deploy.analysis.warmup (10s) of the first batch").hasSize(1);
        for (int i = 0; i < 3; i++) {
            second(e);
        }
        assertThat(instances.web.get(Slot.GREEN)).as("judged: the second batch").hasSize(2);
        for (int i = 0; i < 30 && instances.web.get(Slot.GREEN).size() < 3; i++) {
            second(e);
        }
        assertThat(instances.web.get(Slot.BLUE)).as("the last old instance stays until the last batch is judged").hasSize(1);
        for (int i = 0; i < 5; i++) {
            second(e);
        }
        assertThat(instances.web.get(Slot.BLUE)).as("still within the last batch's warm-up").hasSize(1);
        for (int i = 0; i < 30 && e.current().state().live(); i++) {
            second(e);
        }
        assertThat(e.current().state()).isEqualTo(RolloutState.PROMOTED);
        assertThat(e.current().verdicts()).extracting(RolloutVerdict::cause).contains("warming_up", "within_limits");
    }

    @Test
    void newInstancesSlowAfterTheirWarmUpAreRolledBackOnLatency() {
        RolloutEngine e = engine(new RollingSettings(1, 0, Duration.ZERO, Duration.ofMinutes(10)), AnalysisSettings.DEFAULTS);
        for (int i = 0; i < 60 && e.current().state() == RolloutState.RUNNING; i++) {
            second(e, 800_000);
        }
        assertThat(e.current().state()).isIn(RolloutState.ROLLING_BACK, RolloutState.ROLLED_BACK);
        assertThat(e.current().verdicts()).extracting(RolloutVerdict::cause).contains("latency");
        assertThat(instances.web.get(Slot.BLUE)).as("never fewer old instances than the batch took").hasSizeGreaterThanOrEqualTo(2);
    }

    @Test
    void anIdleServiceIsNotHeldForeverTheNextBatchStartsWhenTooLittleTrafficCameAfterTheWarmUp() {
        RolloutEngine e = engine(new RollingSettings(1, 0, Duration.ZERO, Duration.ofMinutes(10)), AnalysisSettings.DEFAULTS);
        e.tick(); // the workers' step
        e.tick();
        assertThat(instances.web.get(Slot.GREEN)).hasSize(1);
        clock.advance(Duration.ofSeconds(19));
        e.tick();
        assertThat(instances.web.get(Slot.GREEN)).as("warm-up 10s + interval 10s not yet over").hasSize(1);
        clock.advance(Duration.ofSeconds(2));
        e.tick();
        assertThat(instances.web.get(Slot.GREEN)).hasSize(2);
    }

    /** The router's pools as the engine sets them. */
    private static final class Pools extends RolloutEngineTest.Table {
        Slot joined;

        @Override
        public void join(Slot slot) {
            joined = slot;
        }
    }

    /** Three web instances of v1 in blue; every start passes its gate in {@link #GATE}. */
    private final class Instances implements InstanceMoves, RolloutEngine.Host {
        final Map<Slot, SortedMap<Integer, Boolean>> web = new EnumMap<>(Map.of(
                Slot.BLUE, new TreeMap<>(Map.of(0, true, 1, true, 2, true)), Slot.GREEN, new TreeMap<>()));
        Slot active = Slot.BLUE;
        int peak;

        int serving(Slot slot) {
            return web.get(slot).size();
        }

        @Override
        public int replicas() {
            return 3;
        }

        @Override
        public SortedMap<Integer, Boolean> web(Slot slot) {
            return new TreeMap<>(web.get(slot));
        }

        @Override
        public String startWeb(Slot slot, String release, int n) {
            clock.advance(GATE);
            web.get(slot).put(n, true);
            peak = Math.max(peak, serving(Slot.BLUE) + serving(Slot.GREEN));
            return null;
        }

        @Override
        public void stopWeb(Slot slot, int n) {
            web.get(slot).remove(n);
        }

        @Override
        public String startWorkers(Slot slot, String release, boolean critical, String name, int n) {
            return null;
        }

        @Override
        public void stopWorkers(Slot slot, boolean critical, String name, int n) {
        }

        @Override
        public boolean nonCriticalWorkers() {
            return false;
        }

        @Override
        public List<String> criticalInstances() {
            return new ArrayList<>();
        }

        @Override
        public boolean runsWorkers(Slot slot, String name, int n) {
            return false;
        }

        @Override
        public void finish(Slot slot, String detail) {
            active = slot;
            router.join(null);
        }

        @Override
        public Integer runningPort(Slot slot) {
            return web.get(slot).isEmpty() ? null : 9000 + slot.ordinal();
        }

        @Override
        public Slot activeSlot() {
            return active;
        }

        @Override
        public void promote(Slot canary, String detail) {
        }

        @Override
        public void stopCanary(Slot canary, String outcome, String detail) {
        }

        @Override
        public boolean serves(Slot slot) {
            return !web.get(slot).isEmpty();
        }

        @Override
        public void publish(DeployEvent event) {
        }

        @Override
        public void standBy(Slot canary, String detail) {
        }

        @Override
        public void switchBack(Slot previous, Slot watched, String detail) {
        }
    }
}

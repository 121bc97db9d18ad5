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

    private RolloutEngine engine(RollingSettings settings) {
        RolloutEngine e = new RolloutEngine(new Object(), clock, router, instances, AnalysisSettings.DEFAULTS, dir.resolve("rollout.json"));
        e.useInstances(instances, settings);
        e.startRolling("v2", Slot.GREEN, Slot.BLUE, "v1", settings);
        return e;
    }

    @Test
    void aRollbackAfterTheLastWebBatchPoolsTheOldSlotAgainUntilItIsDone() {
        RolloutEngine e = engine(new RollingSettings(1, 0, Duration.ZERO, Duration.ofMinutes(10)));
        for (int i = 0; i < 10 && e.current().step() != Rolling.CRITICAL; i++) {
            e.tick();
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

        clock.advance(Duration.ofSeconds(10).minus(GATE));
        e.tick();
        assertThat(instances.web.get(Slot.GREEN)).as("10s after the batch began, but only 2s after it ended").hasSize(1);

        clock.advance(GATE);
        e.tick();
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
        for (int i = 0; i < 10 && e.current().state().live(); i++) {
            e.tick();
        }
        assertThat(e.current().state()).isEqualTo(RolloutState.PROMOTED);
        assertThat(instances.peak).as("replicas + maxSurge").isEqualTo(4);
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

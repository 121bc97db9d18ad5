package dev.switchback.deploy.rollout;

import dev.switchback.deploy.Slot;
import dev.switchback.deploy.SlotTraffic;
import dev.switchback.deploy.Stickiness;
import dev.switchback.deploy.TrafficControl;
import dev.switchback.deploy.analysis.AnalysisSettings;
import dev.switchback.deploy.analysis.VirtualClock;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.switchback.deploy.notify.DeployEventType;
import dev.switchback.deploy.notify.Notifier;
import dev.switchback.deploy.notify.NotifyFormat;
import dev.switchback.deploy.notify.NotifyTarget;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The canary's step logic with a virtual clock and the real judge: the router is an in-memory traffic table that the
 * test fills with seeded traffic, second by second, and the engine is ticked by hand. No time is waited out.
 */
class RolloutEngineTest {
    @TempDir
    Path dir;

    private final VirtualClock clock = new VirtualClock();
    private final Table router = new Table();
    private final Moves host = new Moves();
    private final Random random = new Random(42);
    private final List<HttpServer> webhooks = new ArrayList<>();

    private RolloutEngine engine() {
        return new RolloutEngine(new Object(), clock, router, host, AnalysisSettings.DEFAULTS, dir.resolve("rollout.json"));
    }

    private static RolloutSettings settings(String steps) {
        List<String> problems = new ArrayList<>();
        RolloutSettings s = RolloutSettings.parse("canary", steps, "60s", "10m", "cookie", "5m", problems);
        assertThat(problems).isEmpty();
        return s;
    }

    /** One second of traffic: 200 requests split by the router's weight, each failing with the side's error rate. */
    private void second(RolloutEngine e, double canaryErrors, long canaryMicros) {
        int w = router.weight;
        for (int i = 0; i < 200; i++) {
            boolean canary = random.nextInt(100) < w;
            router.serve(canary ? Slot.GREEN : Slot.BLUE, random.nextDouble() < (canary ? canaryErrors : 0.002),
                    (canary ? canaryMicros : 5_000) + random.nextInt(2_000));
        }
        clock.advance(Duration.ofSeconds(1));
        e.tick();
    }

    @Test
    void aGoodCanaryMovesThroughItsStepsOnlyAfterEachStepDurationAndIsPromotedAtOneHundred() {
        RolloutEngine e = engine();
        e.startCanary("v2", Slot.GREEN, Slot.BLUE, "v1", settings("10, 50, 100"));
        assertThat(router.weight).isEqualTo(10);
        for (int s = 0; s < 59; s++) {
            second(e, 0.002, 5_000);
        }
        assertThat(e.current().weight()).as("held for the step duration").isEqualTo(10);
        second(e, 0.002, 5_000);
        assertThat(e.current().weight()).isEqualTo(50);
        for (int s = 0; s < 60; s++) {
            second(e, 0.002, 5_000);
        }
        assertThat(e.current().state()).isEqualTo(RolloutState.PROMOTED);
        assertThat(host.promoted).isEqualTo(Slot.GREEN);
        assertThat(e.current().verdicts()).extracting(RolloutVerdict::verdict).contains("step", "pass");
    }

    /** A canary 800 ms slow for its first 5 s (a process compiling its hot paths), then as fast as stable. */
    private RolloutState coldCanary(Duration warmup) {
        AnalysisSettings a = AnalysisSettings.DEFAULTS;
        RolloutEngine e = new RolloutEngine(new Object(), clock, router, host, new AnalysisSettings(a.maxErrorRate(), a.maxP99(),
                a.minRequests(), a.abortErrorRate(), a.interval(), warmup), dir.resolve("rollout-" + warmup.toSeconds() + ".json"));
        List<String> problems = new ArrayList<>();
        e.startCanary("v2", Slot.GREEN, Slot.BLUE, "v1", RolloutSettings.parse("canary", "10, 50, 100", "3s", "8s", "cookie",
                "5m", problems));
        for (int s = 0; s < 120 && e.current().state().live(); s++) {
            second(e, 0.002, s < 5 ? 800_000 : 5_000);
        }
        assertThat(e.current().state()).as(e.current().reason()).isNotEqualTo(RolloutState.PAUSED);
        if (!warmup.isZero()) {
            assertThat(e.current().verdicts()).extracting(RolloutVerdict::cause).contains("warming_up");
        }
        return e.current().state();
    }

    @Test
    void aCanarySlowOnlyWhileItWarmsUpIsPromotedAndItsProgressDeadlineWaitsForTheWarmUp() {
        assertThat(coldCanary(Duration.ofSeconds(10))).isEqualTo(RolloutState.PROMOTED);
        // the same traffic judged from the first request is rolled back on its cold start: what the warm-up is for
        assertThat(coldCanary(Duration.ZERO)).isEqualTo(RolloutState.ROLLED_BACK);
    }

    @Test
    void aCanaryWithMoreErrorsIsRolledBackAtOnceWithTheNumbersBehindTheVerdict() {
        RolloutEngine e = engine();
        e.startCanary("v2", Slot.GREEN, Slot.BLUE, "v1", settings("10, 50, 100"));
        int seconds = 0;
        while (e.current().state().live() && seconds++ < 60) {
            second(e, 0.05, 5_000);
        }
        assertThat(e.current().state()).isEqualTo(RolloutState.ROLLED_BACK);
        assertThat(seconds).as("seconds to the rollback").isLessThan(30);
        assertThat(router.splits).as("weight 0 first, then the split ends").endsWith("GREEN@0", "null@0");
        assertThat(host.stopped).containsExactly(Slot.GREEN);
        RolloutVerdict fail = e.current().verdicts().stream().filter(v -> v.verdict().equals("fail")).findFirst().orElseThrow();
        assertThat(fail.cause()).isEqualTo("error_rate");
        assertThat(fail.canary().errors()).isPositive();
        assertThat(fail.stable().requests()).isGreaterThan(fail.canary().requests());
    }

    @Test
    void aPauseStepWaitsForPromote() {
        RolloutEngine e = engine();
        e.startCanary("v2", Slot.GREEN, Slot.BLUE, "v1", settings("10, pause, 100"));
        for (int s = 0; s < 200; s++) {
            second(e, 0.002, 5_000);
        }
        assertThat(e.current().state()).isEqualTo(RolloutState.PAUSED);
        assertThat(e.current().reason()).contains("pause");
        assertThat(router.weight).isEqualTo(10);
        e.promote(false);
        assertThat(e.current().state()).isEqualTo(RolloutState.PROMOTED);
    }

    @Test
    void withoutTrafficTheRolloutPausesAtTheProgressDeadlineAndSaysWhy() {
        RolloutEngine e = engine();
        e.startCanary("v2", Slot.GREEN, Slot.BLUE, "v1", settings("10, 50, 100"));
        for (int s = 0; s < 599; s++) {
            clock.advance(Duration.ofSeconds(1));
            e.tick();
        }
        assertThat(e.current().state()).isEqualTo(RolloutState.RUNNING);
        clock.advance(Duration.ofSeconds(1));
        e.tick();
        assertThat(e.current().state()).isEqualTo(RolloutState.PAUSED);
        assertThat(e.current().reason()).contains("no verdict for 600s").contains("minRequests");
        e.promote(true);
        assertThat(e.current().state()).isEqualTo(RolloutState.PROMOTED);
    }

    @Test
    void abortSendsEverythingBackToStable() {
        RolloutEngine e = engine();
        e.startCanary("v2", Slot.GREEN, Slot.BLUE, "v1", settings("10, 50, 100"));
        second(e, 0.002, 5_000);
        e.abort();
        assertThat(e.current().state()).isEqualTo(RolloutState.ABORTED);
        assertThat(router.weight).isZero();
        assertThat(host.stopped).containsExactly(Slot.GREEN);
    }

    @Test
    void aNewEngineRoutesTheRecordedWeightAndResumesTheStep() {
        RolloutEngine first = engine();
        first.startCanary("v2", Slot.GREEN, Slot.BLUE, "v1", settings("10, 50, 100"));
        for (int s = 0; s < 30; s++) {
            second(first, 0.002, 5_000);
        }
        router.reset();
        RolloutEngine second = engine();
        second.routeRecorded();
        assertThat(router.weight).isEqualTo(10);
        second.resume();
        for (int s = 0; s < 40; s++) {
            second(second, 0.002, 5_000);
        }
        assertThat(second.current().weight()).as("the step went on from where it was").isEqualTo(50);
    }

    @Test
    void aCanaryPromotedInStateJsonButNotInRolloutJsonIsFoundPromotedOnRestartAndNoSplitTargetsTheActiveSlot() {
        RolloutEngine first = engine();
        first.startCanary("v2", Slot.GREEN, Slot.BLUE, "v1", settings("10, 50, 100"));
        // the daemon stopped right after host.promote wrote state.json, before rollout.json recorded it
        host.promote(Slot.GREEN, "every step passed");
        router.reset();
        router.splits.clear();
        RolloutEngine second = engine();
        second.routeRecorded();
        second.resume();
        assertThat(router.splits).as("no split onto the active slot (the router refuses one)").isEmpty();
        assertThat(second.current().state()).isEqualTo(RolloutState.PROMOTED);
        assertThat(second.current().reason()).contains("found promoted when the daemon restarted");
        assertThat(engine().current().state()).as("recorded in rollout.json").isEqualTo(RolloutState.PROMOTED);
    }

    @Test
    void aWatchWhosePreviousReleaseIsActiveAgainEndsOnRestartInsteadOfJudgingASlotOutOfTraffic() {
        RolloutEngine first = engine();
        first.watch("v2", Slot.GREEN, Slot.BLUE, "v1", Duration.ofMinutes(5));
        host.promoted = Slot.BLUE; // switched back in state.json, the daemon stopped before rollout.json said so
        RolloutEngine second = engine();
        second.routeRecorded();
        second.resume();
        assertThat(second.current().state()).isEqualTo(RolloutState.ABORTED);
        assertThat(second.current().reason()).contains("no longer the active slot");
    }

    @Test
    void aRolloutJsonThatCannotBeWrittenDoesNotRepeatTheMoveOrRefuseEveryPerformForever() throws Exception {
        RolloutEngine e = engine();
        e.startCanary("v2", Slot.GREEN, Slot.BLUE, "v1", settings("10, 100"));
        // rollout.json can no longer be replaced: a non-empty directory stands where the file was
        java.nio.file.Files.delete(dir.resolve("rollout.json"));
        java.nio.file.Files.createDirectories(dir.resolve("rollout.json"));
        java.nio.file.Files.writeString(dir.resolve("rollout.json").resolve("x"), "x");
        for (int s = 0; s < 120; s++) {
            second(e, 0.002, 5_000);
        }
        assertThat(e.current().state()).isEqualTo(RolloutState.PROMOTED);
        assertThat(host.promotions).as("promoted once, not at every look").isEqualTo(1);
        e.before("a perform");
    }

    @Test
    void aCanaryIsNotRolledBackOntoAStableReleaseThatNoLongerAnswers() {
        RolloutEngine e = engine();
        e.startCanary("v2", Slot.GREEN, Slot.BLUE, "v1", settings("10, 50, 100"));
        second(e, 0.002, 5_000);
        host.dead.add(Slot.BLUE);
        e.abort();
        assertThat(host.stopped).as("the healthy canary is not stopped").isEmpty();
        assertThat(host.promoted).as("all traffic on the only release that answers").isEqualTo(Slot.GREEN);
        assertThat(e.current().state()).isEqualTo(RolloutState.ABORTED);
        assertThat(e.current().reason()).contains("not rolled back: v1 in blue does not run").contains("all traffic is on v2");
    }

    @Test
    void aClosedEngineNoLongerLooksOrMovesTraffic() {
        RolloutEngine e = engine();
        e.startCanary("v2", Slot.GREEN, Slot.BLUE, "v1", settings("10, 50, 100"));
        e.close();
        for (int s = 0; s < 60; s++) {
            second(e, 0.5, 5_000);
        }
        assertThat(e.current().state()).as("no step after close").isEqualTo(RolloutState.RUNNING);
        assertThat(host.stopped).isEmpty();
        e.start();
    }

    /** A real webhook on 127.0.0.1 taking the JSON notifications the engine publishes through its host. */
    @AfterEach
    void stopWebhooks() {
        if (host.notifier != null) {
            host.notifier.close();
        }
        webhooks.forEach(w -> w.stop(0));
    }

    private BlockingQueue<JsonNode> webhook() throws Exception {
        BlockingQueue<JsonNode> got = new LinkedBlockingQueue<>();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", ex -> {
            got.add(new ObjectMapper().readTree(ex.getRequestBody().readAllBytes()));
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        server.start();
        webhooks.add(server);
        host.notifier = new Notifier(List.of(new NotifyTarget(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/h"),
                EnumSet.noneOf(DeployEventType.class), NotifyFormat.JSON)));
        return got;
    }

    private static JsonNode next(BlockingQueue<JsonNode> got) throws InterruptedException {
        JsonNode n = got.poll(20, TimeUnit.SECONDS);
        assertThat(n).as("a notification").isNotNull();
        return n;
    }

    @Test
    void aCanaryIsNotifiedWhenItStartsReachesAStepPausesAndIsPromoted() throws Exception {
        BlockingQueue<JsonNode> got = webhook();
        RolloutEngine e = engine();
        e.startCanary("v2", Slot.GREEN, Slot.BLUE, "v1", settings("10, pause, 100"));
        for (int s = 0; s < 70; s++) {
            second(e, 0.002, 5_000);
        }
        e.promote(false);
        List<String> events = new ArrayList<>();
        JsonNode promoted = null;
        for (int i = 0; i < 4; i++) {
            JsonNode n = next(got);
            events.add(n.path("event").asText());
            promoted = n.path("event").asText().equals("promoted") ? n : promoted;
        }
        assertThat(events).as("in any order: delivery is asynchronous")
                .containsExactlyInAnyOrder("rollout-started", "step-reached", "paused", "promoted");
        assertThat(promoted.path("release").asText()).isEqualTo("v2");
        assertThat(promoted.path("details").path("weight").asInt()).isEqualTo(100);
    }

    @Test
    void aRolledBackCanaryIsNotifiedWithTheVerdictsNumbers() throws Exception {
        BlockingQueue<JsonNode> got = webhook();
        RolloutEngine e = engine();
        e.startCanary("v2", Slot.GREEN, Slot.BLUE, "v1", settings("10, 50, 100"));
        for (int s = 0; s < 60 && e.current().state().live(); s++) {
            second(e, 0.05, 5_000);
        }
        assertThat(e.current().state()).isEqualTo(RolloutState.ROLLED_BACK);
        JsonNode back = null;
        for (int i = 0; i < 3 && back == null; i++) {
            JsonNode n = next(got);
            back = n.path("event").asText().equals("rolled-back") ? n : null;
        }
        assertThat(back).as("rolled-back notified").isNotNull();
        assertThat(back.path("details").path("cause").asText()).isEqualTo("error_rate");
        assertThat(back.path("details").path("canary").path("errors").asLong()).isPositive();
        assertThat(back.path("details").path("baseline").path("requests").asLong()).isPositive();
    }

    @Test
    void aFailoverOfTheStableReleaseEndsACanaryWithItsSplitWithdrawnAndTheCanaryKeptWarm() {
        RolloutEngine e = engine();
        e.startCanary("v2", Slot.GREEN, Slot.BLUE, "v1", settings("10, 50, 100"));
        second(e, 0.002, 5_000);
        e.failedOver(Slot.BLUE, "v1 in blue exited (exit code 137)");
        assertThat(e.current().state()).isEqualTo(RolloutState.ABORTED);
        assertThat(e.current().reason()).startsWith("failover: v1 in blue exited").contains("v2 stays warm in green as standby");
        assertThat(router.splits).endsWith("null@0");
        assertThat(host.standby).containsExactly(Slot.GREEN);
        for (int s = 0; s < 30; s++) {
            second(e, 0.5, 5_000);
        }
        assertThat(host.stopped).as("nothing judged or stopped after the rollout ended").isEmpty();
    }

    @Test
    void stepsAreValidatedWithClearMessages() {
        List<String> problems = new ArrayList<>();
        RolloutSettings.parse("gradual", "50, 10, soon", "500ms", "10s", "header:", "5m", problems);
        assertThat(problems).anySatisfy(p -> assertThat(p).contains("deploy.strategy 'gradual' is not one of bluegreen, canary, rolling"))
                .anySatisfy(p -> assertThat(p).contains("deploy.canary.steps: 10 is not a weight above 50"))
                .anySatisfy(p -> assertThat(p).contains("'soon' is neither a weight"))
                .anySatisfy(p -> assertThat(p).contains("deploy.canary.stepDuration cannot be less than 1s"))
                .anySatisfy(p -> assertThat(p).contains("deploy.canary.sticky is 'header:'"));
        assertThat(settings("[5, 25]").steps()).as("a last step of 100 is implied").containsExactly(5, 25, 100);
    }

    /** The router as the engine sees it: per-slot counters and the split. */
    static class Table implements TrafficControl {
        final Map<Slot, long[]> counts = new EnumMap<>(Slot.class);
        final Map<Slot, long[]> totals = new EnumMap<>(Slot.class);
        final List<String> splits = new ArrayList<>();
        int weight;

        void serve(Slot slot, boolean error, long micros) {
            counts.computeIfAbsent(slot, s -> new long[SlotTraffic.BUCKETS])[SlotTraffic.bucket(micros * 1000)]++;
            long[] t = totals.computeIfAbsent(slot, s -> new long[2]);
            t[0]++;
            t[1] += error ? 1 : 0;
        }

        /** A restarted router's counters start again from zero. */
        void reset() {
            counts.clear();
            totals.clear();
            weight = 0;
        }

        @Override
        public void route(Slot slot, Integer port) {
            weight = 0;
        }

        @Override
        public void split(Slot canary, Integer canaryPort, int w, Stickiness sticky, String rollout) {
            weight = canary == null ? 0 : w;
            splits.add(canary + "@" + w);
        }

        @Override
        public SlotTraffic traffic(Slot slot) {
            long[] t = totals.getOrDefault(slot, new long[2]);
            return new SlotTraffic(t[0], t[1], counts.getOrDefault(slot, new long[SlotTraffic.BUCKETS]).clone());
        }

        @Override
        public int inFlight(Slot slot) {
            return 0;
        }

        @Override
        public void maintenance(boolean on, String message) {
        }

        @Override
        public void pause(Duration max) {
        }

        @Override
        public void resume() {
        }
    }

    private static final class Moves implements RolloutEngine.Host {
        Slot promoted;
        int promotions;
        final List<Slot> dead = new ArrayList<>();
        final List<Slot> standby = new ArrayList<>();
        dev.switchback.deploy.notify.Notifier notifier;
        final List<Slot> stopped = new ArrayList<>();

        @Override
        public Integer runningPort(Slot slot) {
            return stopped.contains(slot) ? null : slot == Slot.BLUE ? 9001 : 9002;
        }

        @Override
        public Slot activeSlot() {
            return promoted == null ? Slot.BLUE : promoted;
        }

        @Override
        public void promote(Slot canary, String detail) {
            promoted = canary;
            promotions++;
        }

        @Override
        public void stopCanary(Slot canary, String outcome, String detail) {
            stopped.add(canary);
        }

        @Override
        public void publish(dev.switchback.deploy.notify.DeployEvent event) {
            if (notifier != null) {
                notifier.publish(event);
            }
        }

        @Override
        public boolean serves(Slot slot) {
            return runningPort(slot) != null && !dead.contains(slot);
        }

        @Override
        public void standBy(Slot canary, String detail) {
            standby.add(canary);
        }

        @Override
        public void switchBack(Slot previous, Slot watched, String detail) {
            stopped.add(watched);
        }
    }
}

package dev.switchback.deploy;

import dev.switchback.deploy.rollout.Rollout;
import dev.switchback.deploy.rollout.RolloutState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Where a rollout and the daemon's other moves meet, with a real deployer, real release processes and a real liveness
 * watch: a failover ends the rollout, a switch back never lands on a dead release, an operator's refused action leaves
 * the rollout alone.
 */
class RolloutFailoverIT {
    @TempDir
    Path dir;

    @Test
    void aFailoverDuringABlueGreenWatchEndsTheWatchAndTrafficStaysWhereTheFailoverPutIt() throws Exception {
        try (Releases r = new Releases(dir, "5m", FailoverMode.STANDBY, List.of())) {
            r.perform("v1");
            r.perform("v2");
            assertThat(r.deployer.rollouts().current().state()).isEqualTo(RolloutState.WATCHING);
            r.deployer.watch();
            r.kill(Slot.GREEN);
            assertThat(Releases.await(() -> r.deployer.state().activeSlot() == Slot.BLUE)).as("failed over to v1").isTrue();
            Rollout ended = r.deployer.rollouts().current();
            assertThat(ended.state()).isEqualTo(RolloutState.ABORTED);
            assertThat(ended.reason()).contains("failover: v2 in green").contains("traffic stays where the failover put it");
            assertThat(r.router.routed).isEqualTo(Slot.BLUE);
            // v1 serves because of the failover: its schema is not the one to undo
            assertThatThrownBy(() -> r.deployer.rollback("down", false)).hasMessageContaining("refused; nothing was changed")
                    .hasMessageContaining("failed over to it from green").hasMessageContaining("upgrade switch green");
            assertThat(r.deployer.state().activeSlot()).isEqualTo(Slot.BLUE);
        }
    }

    @Test
    void anAbortedWatchDoesNotSendTrafficBackToAPreviousReleaseThatDied() throws Exception {
        try (Releases r = new Releases(dir, "5m", FailoverMode.NONE, List.of())) {
            r.perform("v1");
            r.perform("v2");
            r.kill(Slot.BLUE);
            r.deployer.rollouts().abort();
            assertThat(r.router.routed).as("traffic stays on v2").isEqualTo(Slot.GREEN);
            assertThat(r.slot(Slot.GREEN).running()).as("v2 is not stopped").isTrue();
            assertThat(r.deployer.state().activeSlot()).isEqualTo(Slot.GREEN);
            Rollout ended = r.deployer.rollouts().current();
            assertThat(ended.state()).isEqualTo(RolloutState.ABORTED);
            assertThat(ended.reason()).contains("v1 in blue does not run").contains("traffic stays on v2");
        }
    }

    @Test
    void aRefusedPerformOrCleanupLeavesTheWatchGoing() throws Exception {
        try (Releases r = new Releases(dir, "5m", FailoverMode.NONE, List.of())) {
            r.perform("v1");
            r.perform("v2");
            assertThatThrownBy(() -> r.perform("needs-env-v3")).hasMessageContaining("Perform refused");
            assertThatThrownBy(() -> r.deployer.cleanup(Slot.GREEN)).hasMessageContaining("it is the active slot");
            assertThat(r.deployer.rollouts().current().state()).isEqualTo(RolloutState.WATCHING);
            r.deployer.switchTo(Slot.BLUE, false);
            assertThat(r.deployer.rollouts().current().reason()).as("a switch that moves traffic ends it")
                    .isEqualTo("watch ended by a switch");
        }
    }

    @Test
    void anActiveReleaseAdoptedWhileSlowToAnswerIsRoutedOnceItAnswers() throws Exception {
        try (Releases r = new Releases(dir, "0s", FailoverMode.NONE, List.of())) {
            r.perform("v1");
            r.signal(Slot.BLUE, "STOP");
            r.restart();
            r.deployer.adopt();
            r.deployer.rollouts().close();
            assertThat(r.router.routed).as("not answering: not routed").isNull();
            assertThat(r.slot(Slot.BLUE).state()).isEqualTo(SlotStatus.FAILED);
            r.signal(Slot.BLUE, "CONT");
            r.deployer.watch();
            assertThat(Releases.await(() -> r.router.routed == Slot.BLUE)).as("routed once it answers").isTrue();
            assertThat(Releases.await(() -> r.slot(Slot.BLUE).state() == SlotStatus.ACTIVE)).isTrue();
        }
    }

    @Test
    void aCanarysSplitIsRoutedAgainAfterAdoptCorrectsTheRoute() throws Exception {
        try (Releases r = new Releases(dir, "canary", "0s", FailoverMode.NONE, List.of())) {
            r.perform("v1");
            r.perform("v2");
            assertThat(r.router.weight).isEqualTo(10);
            r.signal(Slot.BLUE, "STOP");
            try {
                r.restart();
                r.deployer.adopt();
                r.deployer.rollouts().close();
                assertThat(r.router.routed).as("stable does not answer: not routed").isNull();
                assertThat(r.router.canary).as("the canary's split is routed again").isEqualTo(Slot.GREEN);
                assertThat(r.router.weight).isEqualTo(10);
            } finally {
                r.signal(Slot.BLUE, "CONT");
            }
        }
    }
}

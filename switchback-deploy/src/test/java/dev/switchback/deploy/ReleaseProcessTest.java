package dev.switchback.deploy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Real processes: what the daemon may adopt, signal or kill by a recorded pid. */
class ReleaseProcessTest {
    @TempDir
    Path tmp;

    @Test
    void aProcessIsKnownByItsStartTimeEvenWhenItsNameHoldsParenthesesAndBlanks() throws Exception {
        Path odd = Files.copy(Path.of("/bin/sleep"), tmp.resolve("a) (b c"));
        assertThat(odd.toFile().setExecutable(true)).isTrue();
        Process p = new ProcessBuilder(odd.toString(), "60").start();
        try {
            ReleaseProcess recorded = ReleaseProcess.of(p.pid());
            assertThat(recorded.startTime()).isNotNull().isPositive();
            assertThat(recorded.alive()).isTrue();
            assertThat(recorded.recycled()).isFalse();
            assertThat(ReleaseProcess.stat(p.pid()).orElseThrow().pgrp()).as("the test's group: not a leader")
                    .isEqualTo(ReleaseProcess.stat(ProcessHandle.current().pid()).orElseThrow().pgrp());
        } finally {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aPidNowHeldByAnotherProgramIsNeitherAliveNorSignalled() throws Exception {
        Process stranger = new ProcessBuilder("sleep", "60").start();
        try {
            long now = ReleaseProcess.of(stranger.pid()).startTime();
            ReleaseProcess recorded = new ReleaseProcess(stranger.pid(), now - 1);
            assertThat(recorded.recycled()).isTrue();
            assertThat(recorded.alive()).isFalse();
            assertThat(recorded.anyAlive()).isFalse();
            recorded.signal("KILL");
            assertThat(stranger.waitFor(1, TimeUnit.SECONDS)).as("the stranger was not killed").isFalse();
        } finally {
            stranger.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aGroupWhoseLeaderExitedIsStillTheReleasesAndIsSignalledWhole() throws Exception {
        // a release that forks a child and exits: the leader waits for its stdin to close, so its start time can be read
        Process leader = new ProcessBuilder("setsid", "sh", "-c", "sleep 60 & read x").start();
        ReleaseProcess release = ReleaseProcess.of(leader.pid());
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (release.groupMembers().size() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(release.groupMembers()).as("leader and child").hasSize(2);
            leader.getOutputStream().close();
            assertThat(leader.waitFor(10, TimeUnit.SECONDS)).isTrue();

            assertThat(release.alive()).isFalse();
            assertThat(release.anyAlive()).as("the child lives on in the release's group").isTrue();
            release.signal("TERM");
            deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (release.anyAlive() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(release.anyAlive()).isFalse();
        } finally {
            release.signal("KILL");
        }
    }
}

package dev.switchback.server;

import dev.switchback.deploy.Slot;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** How {@link TrafficPolicy.Target#pick} chooses among a slot's instances: least outstanding, ties in turn. */
class LeastOutstandingTest {
    private final Origin[] group = {origin(9001), origin(9002), origin(9003)};
    private final TrafficPolicy.Target target = new TrafficPolicy.Target(group, null, new AtomicLong());

    @Test
    void theInstanceWithTheFewestOutstandingRequestsIsPicked() {
        group[0].outstanding.set(2);
        group[1].outstanding.set(1);
        group[2].outstanding.set(3);
        for (int i = 0; i < 10; i++) {
            assertThat(target.pick()).isSameAs(group[1]);
        }
    }

    /**
     * With one instance busier than the other two, those two are tied: each gets half of the picks, whichever instance is
     * the busy one. (Ties taken from a turn that walks the group in order gave the instance after the busy one two
     * picks in three; in a real closed loop that was four in five, and one instance took 43 % of the requests.)
     */
    @Test
    void instancesTiedForTheFewestShareThePicksEquallyWhicheverIsBusier() {
        for (int busy = 0; busy < group.length; busy++) {
            for (Origin o : group) {
                o.outstanding.set(0);
            }
            group[busy].outstanding.set(1);
            Map<Origin, Integer> picks = new HashMap<>();
            for (int i = 0; i < 600; i++) {
                picks.merge(target.pick(), 1, Integer::sum);
            }
            assertThat(picks).as("picks with instance %s busy", busy).doesNotContainKey(group[busy]);
            for (int i = 0; i < group.length; i++) {
                if (i != busy) {
                    assertThat(picks.get(group[i])).as("picks of instance %s with instance %s busy: %s", i, busy, picks)
                            .isEqualTo(300);
                }
            }
        }
    }

    /** Requests that start and end one at a time (every pick a three-way tie) go round the instances one by one. */
    @Test
    void equalInstancesGoRoundInTurn() {
        Map<Origin, Integer> picks = new HashMap<>();
        for (int i = 0; i < 300; i++) {
            picks.merge(target.pick(), 1, Integer::sum);
        }
        assertThat(picks.values()).containsExactly(100, 100, 100);
    }

    @Test
    void anInstanceRefusedAMomentAgoIsSkippedWhileAnotherCanServe() {
        group[0].refused();
        group[1].outstanding.set(5);
        group[2].outstanding.set(5);
        assertThat(target.pick()).isNotSameAs(group[0]);
        assertThat(target.pick(group[1])).isSameAs(group[2]);
    }

    private static Origin origin(int port) {
        return new Origin(Slot.BLUE, new InetSocketAddress("127.0.0.1", port));
    }
}

package dev.baton.node.fencing.sim;

import static dev.baton.node.fencing.sim.InvariantChecker.Kind.LEASE_OUTLIVED_PROMISE;
import static dev.baton.node.fencing.sim.InvariantChecker.Kind.NO_ACTIVE;
import static dev.baton.node.fencing.sim.InvariantChecker.Kind.TWO_ACTIVE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.node.fencing.FencingTiming;
import dev.baton.node.fencing.sim.InvariantChecker.Kind;
import java.util.EnumSet;
import java.util.Set;
import java.util.function.LongFunction;
import org.junit.jupiter.api.Test;

/**
 * The simulation is worth something only if it catches a broken rule: each test breaks one on
 * purpose and asserts that random schedules (seeds 0 to 4,999 at most) name the violations
 * expected. Each prints the first seed that showed each kind.
 */
class BrokenRulesTest {

    private static final long MS = SimConfig.MS;
    private static final int SEARCH = 5_000;

    @Test
    void leaseLongerThanTheGrantLetsTwoNodesActAtOnce() {
        // lease 650 > grant 550: the followers' promises end before the lease they back
        LongFunction<SimConfig> broken = seed -> SimConfig.defaults(Simulation.nodesFor(seed))
                .withTiming(new FencingTiming(650 * MS, 100 * MS, 550 * MS, 50 * MS, 3_000 * MS));

        assertThat(search("lease 650 > grant 550", broken, EnumSet.of(TWO_ACTIVE, LEASE_OUTLIVED_PROMISE)))
                .contains(TWO_ACTIVE, LEASE_OUTLIVED_PROMISE);
    }

    @Test
    void votesThatBypassThePromiseLetTwoNodesActAtOnce() {
        LongFunction<SimConfig> broken = seed -> SimConfig.defaults(Simulation.nodesFor(seed)).withVotesBypassingCore();

        assertThat(search("votes not held", broken, EnumSet.of(TWO_ACTIVE, LEASE_OUTLIVED_PROMISE)))
                .contains(TWO_ACTIVE, LEASE_OUTLIVED_PROMISE);
    }

    @Test
    void clockDriftBeyondTheMarginBreaksTheLease() {
        // 400 ms on a clock 25% slow last 533 ms; 550 ms on a clock 25% fast last 440 ms
        LongFunction<SimConfig> broken = seed -> SimConfig.defaults(Simulation.nodesFor(seed)).withMaxDriftPpm(250_000);

        assertThat(search("drift +-25%", broken, EnumSet.of(LEASE_OUTLIVED_PROMISE))).contains(LEASE_OUTLIVED_PROMISE);
    }

    @Test
    void aGrantFarBeyondDetectionLeavesTheClusterWithoutAnActive() {
        // the liveness check: with a 60 s grant, votes are held for a minute after a start or a leader
        LongFunction<SimConfig> broken = seed -> SimConfig.defaults(Simulation.nodesFor(seed))
                .withTiming(new FencingTiming(400 * MS, 100 * MS, 60_000 * MS, 50 * MS, 3_000 * MS));

        assertThat(search("grant 60 s", broken, EnumSet.of(NO_ACTIVE))).contains(NO_ACTIVE);
    }

    /** The kinds of violation seen, searching until all of {@code wanted} were or the seeds ran out. */
    private static Set<Kind> search(String rule, LongFunction<SimConfig> config, Set<Kind> wanted) {
        Set<Kind> seen = EnumSet.noneOf(Kind.class);
        for (long seed = 0; seed < SEARCH && !seen.containsAll(wanted); seed++) {
            SimOutcome o = Simulation.run(config.apply(seed), seed, false);
            for (Kind k : o.kinds()) {
                if (seen.add(k)) {
                    System.out.printf("broken rule (%s): %s first at seed %d: %s%n", rule, k, seed, o.violations().get(k));
                }
            }
        }
        return seen;
    }
}

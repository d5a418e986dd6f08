package dev.baton.node.fencing.sim;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Seeds on which the simulation found a bug. A change to the model redraws every schedule, so each
 * test also asserts that its seed still reaches the situation of its bug (if not, pick another
 * seed that does); each bug also has a scripted scenario in {@code FencingCoreTest}, which does not
 * depend on the model. The runs described are those of the commit that found the bug.
 */
class SimulationRegressionTest {

    /**
     * n1 is cut off and runs elections up to term 5; the partition changes so that the leader n3 of
     * term 1 reaches n1 but not n2. n1 answers n3's round with term 5, n3 adopts it, and n1's next
     * vote request (term 6) reaches n3, whose lease of term 1, acknowledged by n2 100 ms before,
     * still holds: n3 granted the vote and n1 was elected with n3's vote alone, 90 ms before that
     * lease ran out. The leader counts itself in the majority behind its lease but promised nothing.
     * ({@code FencingCoreTest.leaderHoldsAVoteWhileItsLeaseHolds})
     */
    @Test
    void seed20LeaderGrantsItsVoteWhileItsLeaseHolds() {
        SimOutcome o = Simulation.run(20, false);

        assertThat(o.violation()).as(() -> Simulation.run(20, true).report()).isNull();
        assertThat(o.votesHeldByOwnLease()).as("the schedule still reaches a leader asked for its vote").isPositive();
    }

    /**
     * With restarts of 20-300 ms: n2 acknowledges round 21 of n3 (term 1) and crashes 33 ms later;
     * back 150 ms after that with a fresh core, it remembers no promise and grants n1 its vote for
     * term 4 while n3's lease, which n2's acknowledgement made, still holds for another ~50 ms.
     * ({@code FencingCoreTest.freshCoreHoldsVotesForTheGrant})
     */
    @Test
    void seed11632FastRestartForgetsThePromise() {
        SimConfig fastRestarts = SimConfig.defaults(3).withRestartNanos(20 * SimConfig.MS, 300 * SimConfig.MS);

        SimOutcome o = Simulation.run(fastRestarts, 11632, false);

        assertThat(o.violation()).as(() -> Simulation.run(fastRestarts, 11632, true).report()).isNull();
        assertThat(o.votesHeldAfterStart()).as("the schedule still reaches a vote request right after a restart").isPositive();
    }
}

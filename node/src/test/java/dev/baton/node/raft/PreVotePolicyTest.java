package dev.baton.node.raft;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PreVotePolicyTest {

    @Test
    void noKnownLeaderAllowsThePreVote() {
        assertThat(PreVotePolicy.leaderAlive(null, false, false, false, "n1", true)).isFalse();
    }

    @Test
    void aLeaderThatLeftTheViewAllowsThePreVoteEvenWhileThePromiseBinds() {
        // crash: the view drops the leader before the promise ends; the election must still start
        assertThat(PreVotePolicy.leaderAlive("n1", false, false, false, "n1", true)).isFalse();
    }

    @Test
    void aFollowerWhosePromiseToTheLeaderBindsSuppressesIt() {
        assertThat(PreVotePolicy.leaderAlive("n1", true, false, false, "n1", true)).isTrue();
    }

    @Test
    void anExpiredPromiseAllowsIt() {
        assertThat(PreVotePolicy.leaderAlive("n1", true, false, false, "n1", false)).isFalse();
    }

    @Test
    void aPromiseToAnotherLeaderDoesNotVouchForThisOne() {
        assertThat(PreVotePolicy.leaderAlive("n2", true, false, false, "n1", true)).isFalse();
    }

    @Test
    void aLeaderHoldingItsLeaseSuppressesIt() {
        assertThat(PreVotePolicy.leaderAlive("n1", true, true, true, null, false)).isTrue();
    }

    @Test
    void aFencedLeaderAllowsIt() {
        // e.g. the isolated old leader coordinating the merged view after a heal, before it
        // learned the new term: its own answer decides nothing, the others' answers do
        assertThat(PreVotePolicy.leaderAlive("n1", true, true, false, null, false)).isFalse();
    }
}

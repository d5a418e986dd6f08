package dev.baton.node.raft;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

class PreVotePolicyTest {

    private static final BooleanSupplier GONE = () -> true;
    private static final BooleanSupplier LISTENING = () -> false;
    private static final BooleanSupplier NOT_ASKED = () -> {
        throw new AssertionError("the port probe is only for a promised leader outside the view");
    };

    @Test
    void noKnownLeaderAllowsThePreVote() {
        assertThat(PreVotePolicy.leaderAlive(null, false, false, false, "n1", true, NOT_ASKED)).isFalse();
    }

    @Test
    void aCrashedLeaderThatLeftTheViewAllowsThePreVoteEvenWhileThePromiseBinds() {
        // crash: the view drops the leader before the promise ends; the election must still start
        assertThat(PreVotePolicy.leaderAlive("n1", false, false, false, "n1", true, GONE)).isFalse();
    }

    @Test
    void aLeaderMissingOnlyFromAStaleViewButStillListeningSuppressesIt() {
        // seen right after SIGCONT: this node's view is stale, the leader it just heard from is not in it
        assertThat(PreVotePolicy.leaderAlive("n1", false, false, false, "n1", true, LISTENING)).isTrue();
    }

    @Test
    void aFollowerWhosePromiseToTheLeaderBindsSuppressesIt() {
        assertThat(PreVotePolicy.leaderAlive("n1", true, false, false, "n1", true, NOT_ASKED)).isTrue();
    }

    @Test
    void anExpiredPromiseAllowsIt() {
        assertThat(PreVotePolicy.leaderAlive("n1", true, false, false, "n1", false, NOT_ASKED)).isFalse();
    }

    @Test
    void aPromiseToAnotherLeaderDoesNotVouchForThisOne() {
        assertThat(PreVotePolicy.leaderAlive("n2", true, false, false, "n1", true, NOT_ASKED)).isFalse();
    }

    @Test
    void aLeaderHoldingItsLeaseSuppressesIt() {
        assertThat(PreVotePolicy.leaderAlive("n1", true, true, true, null, false, NOT_ASKED)).isTrue();
    }

    @Test
    void aFencedLeaderAllowsIt() {
        // e.g. the isolated old leader coordinating the merged view after a heal, before it
        // learned the new term: its own answer decides nothing, the others' answers do
        assertThat(PreVotePolicy.leaderAlive("n1", true, true, false, null, false, NOT_ASKED)).isFalse();
    }
}

package dev.baton.node.raft;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.jgroups.Address;
import org.jgroups.util.UUID;
import org.junit.jupiter.api.Test;

/** Which view members the leader's commit table lacks (jgroups-raft 1.1.4 can miss a joiner). */
class BatonRaftCommitTableTest {

    private final Address leader = UUID.randomUUID();
    private final Address n1 = UUID.randomUUID();
    private final Address joiner = UUID.randomUUID();

    @Test
    void aMemberThatJoinedDuringTheElectionIsMissing() {
        assertThat(BatonRaft.missingFromCommitTable(List.of(leader, n1, joiner), Set.of(n1), leader)).containsExactly(joiner);
    }

    @Test
    void theLeaderItselfAndTrackedMembersAreNot() {
        assertThat(BatonRaft.missingFromCommitTable(List.of(leader, n1, joiner), Set.of(n1, joiner), leader)).isEmpty();
        assertThat(BatonRaft.missingFromCommitTable(List.of(leader), Set.of(), leader)).isEmpty();
    }
}

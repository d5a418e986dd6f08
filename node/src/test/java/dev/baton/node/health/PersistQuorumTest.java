package dev.baton.node.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class PersistQuorumTest {

    @Test
    void noProblemWhileAMajorityIsReachableAndHealthy() {
        assertThat(PersistQuorum.problem(List.of(
                new PersistQuorum.Member("n1", true, null),
                new PersistQuorum.Member("n2", true, "log: appending failed: No space left on device"),
                new PersistQuorum.Member("n3", true, null)))).isNull();
    }

    @Test
    void aSickAndAnUnreachableMemberOfThreeLeaveNoMajority() {
        String p = PersistQuorum.problem(List.of(
                new PersistQuorum.Member("n1", true, null),
                new PersistQuorum.Member("n2", true, "log: appending failed: No space left on device"),
                new PersistQuorum.Member("n3", false, null)));

        assertThat(p).isEqualTo("no majority can persist writes: 2 of 3 members must, only n1 can; "
                + "n2 cannot persist (log: appending failed: No space left on device); n3 is unreachable");
    }

    @Test
    void aMemberThatHasNotReportedButIsReachableCountsAsAble() {
        // a node just starting (or an older version) says nothing: no false alarm
        assertThat(PersistQuorum.problem(List.of(
                new PersistQuorum.Member("n1", true, null),
                new PersistQuorum.Member("n2", true, null),
                new PersistQuorum.Member("n3", false, null)))).isNull();
    }
}

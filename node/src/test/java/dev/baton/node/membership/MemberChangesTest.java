package dev.baton.node.membership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.node.config.MemberSpec;
import dev.baton.node.statemachine.ClusterMember;
import dev.baton.node.statemachine.ClusterMember.Status;
import dev.baton.node.statemachine.MemberTable;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MemberChangesTest {

    private static final List<MemberSpec> CONFIGURED = List.of(MemberSpec.parse("n1=127.0.0.11:7800:8080"),
            MemberSpec.parse("n2=127.0.0.12:7800:8080"), MemberSpec.parse("n3=127.0.0.13:7800:8080"));
    private static final List<ClusterMember> THREE = MemberChanges.effective(MemberTable.EMPTY, CONFIGURED, List.of("n1", "n2", "n3"));

    @Test
    void beforeTheFirstChangeTheConfiguredMembersVoteAndAJoinerStartsAsLearner() {
        assertThat(THREE).extracting(ClusterMember::status).containsOnly(Status.VOTER);
        List<ClusterMember> joiner = MemberChanges.effective(MemberTable.EMPTY, CONFIGURED, List.of("n1", "n2"));
        assertThat(joiner.get(2).status()).isEqualTo(Status.JOINING);
        MemberTable table = new MemberTable(List.of(THREE.get(0)), 3, "remove n2");
        assertThat(MemberChanges.effective(table, CONFIGURED, List.of("n1", "n2", "n3"))).containsExactly(THREE.get(0));
    }

    @Test
    void aNewcomerJoinsAsLearnerAndIsPromotedAlone() {
        List<ClusterMember> four = MemberChanges.add(THREE, MemberSpec.parse("n4=127.0.0.14:7800:8080"));
        assertThat(four).hasSize(4);
        assertThat(four.get(3).status()).isEqualTo(Status.JOINING);
        assertThatThrownBy(() -> MemberChanges.add(four, MemberSpec.parse("n5=127.0.0.15:7800:8080")))
                .isInstanceOf(MembershipException.class).hasMessageContaining("'n4' is still joining");
        List<ClusterMember> promoted = MemberChanges.promote(four, "n4");
        assertThat(promoted.get(3).status()).isEqualTo(Status.VOTER);
        assertThat(MemberChanges.add(promoted, MemberSpec.parse("n5=127.0.0.15:7800:8080"))).hasSize(5);
    }

    @Test
    void aDuplicateIdOrAddressIsRefusedNamingTheHolder() {
        assertThatThrownBy(() -> MemberChanges.add(THREE, MemberSpec.parse("n2=127.0.0.99:7800:8080")))
                .isInstanceOf(MembershipException.class).hasMessageContaining("'n2' is already a member")
                .extracting(e -> ((MembershipException) e).status()).isEqualTo(409);
        assertThatThrownBy(() -> MemberChanges.add(THREE, MemberSpec.parse("n9=127.0.0.12:7800:9999")))
                .isInstanceOf(MembershipException.class).hasMessageContaining("already used by 'n2'");
        assertThatThrownBy(() -> MemberChanges.add(THREE, MemberSpec.parse("n9=127.0.0.12:9999:8080")))
                .isInstanceOf(MembershipException.class).hasMessageContaining("already used by 'n2'");
        assertThat(MemberChanges.add(THREE, MemberSpec.parse("n9=127.0.0.12:7801:8081"))).hasSize(4); // same host, other ports
    }

    @Test
    void removalIsRefusedWhenTheVotersLeftHaveNoReachableMajority() {
        // 3 voters, n3 down: removing n2 leaves {n1, n3} with only n1 reachable
        assertThatThrownBy(() -> MemberChanges.remove(THREE, "n2", Set.of("n1", "n2")))
                .isInstanceOf(MembershipException.class).hasMessageContaining("only 1 are reachable; 2 are needed")
                .extracting(e -> ((MembershipException) e).code()).isEqualTo("would_lose_quorum");
        // removing the dead one is what the operator should do
        assertThat(MemberChanges.remove(THREE, "n3", Set.of("n1", "n2"))).extracting(ClusterMember::id).containsExactly("n1", "n2");
        List<ClusterMember> one = List.of(THREE.get(0));
        assertThatThrownBy(() -> MemberChanges.remove(one, "n1", Set.of("n1"))).hasMessageContaining("last voter");
        assertThatThrownBy(() -> MemberChanges.remove(THREE, "n7", Set.of("n1"))).isInstanceOf(MembershipException.class)
                .extracting(e -> ((MembershipException) e).status()).isEqualTo(404);
    }

    @Test
    void aJoinerThatNeverVotedCanBeRemovedWhateverIsDown() {
        List<ClusterMember> four = MemberChanges.add(THREE, MemberSpec.parse("n4=127.0.0.14:7800:8080"));
        assertThat(MemberChanges.remove(four, "n4", Set.of("n1"))).hasSize(3);
    }

    @Test
    void promotionWaitsWhileTheLargerClusterWouldHaveNoReachableMajority() {
        List<ClusterMember> four = MemberChanges.add(THREE, MemberSpec.parse("n4=127.0.0.14:7800:8080"));
        assertThat(MemberChanges.promotionKeepsQuorum(four, "n4", Set.of("n1", "n2", "n4"))).isTrue(); // 3 of 4
        assertThat(MemberChanges.promotionKeepsQuorum(four, "n4", Set.of("n1", "n4"))).isFalse(); // 2 of 4
    }
}

package dev.baton.node.role;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RolePolicyTest {

    @Test
    void leaderWhoseNoopOfThisTermIsAppliedIsActive() {
        assertThat(RolePolicy.decide(new ConsensusState(7, "n1", true, 7, true))).isEqualTo(Role.ACTIVE);
    }

    @Test
    void newLeaderIsNotActiveUntilItsNoopIsApplied() {
        // Raft §5.4.2: until an entry of its own term commits, the leader's state may lag
        assertThat(RolePolicy.decide(new ConsensusState(8, "n1", true, 7, true))).isEqualTo(Role.CANDIDATE);
    }

    @Test
    void readyLeaderWithoutALeaseIsFenced() {
        assertThat(RolePolicy.decide(new ConsensusState(7, "n1", true, 7, false, false, false, true))).isEqualTo(Role.FENCED);
        // a new leader that never served in this term waits as CANDIDATE for its first lease round
        assertThat(RolePolicy.decide(new ConsensusState(7, "n1", true, 7, false))).isEqualTo(Role.CANDIDATE);
    }

    @Test
    void manualFailoverLeaderWaitsForApproval() {
        assertThat(RolePolicy.decide(new ConsensusState(7, "n1", true, 7, true, true, false, false))).isEqualTo(Role.PENDING_APPROVAL);
        assertThat(RolePolicy.decide(new ConsensusState(7, "n1", true, 7, true, true, true, false))).isEqualTo(Role.ACTIVE);
        // approval never overrides a missing lease or an unapplied no-op
        assertThat(RolePolicy.decide(new ConsensusState(7, "n1", true, 7, false, true, true, true))).isEqualTo(Role.FENCED);
        assertThat(RolePolicy.decide(new ConsensusState(7, "n1", true, 6, true, true, true, false))).isEqualTo(Role.CANDIDATE);
    }

    @Test
    void nodeWhoseStorageFailsIsUnhealthyWhateverRaftSays() {
        // a ready leader with a lease, a follower of a known leader, a node without one
        assertThat(RolePolicy.decide(new ConsensusState(7, "n1", true, 7, true, false, false, true, false))).isEqualTo(Role.UNHEALTHY);
        assertThat(RolePolicy.decide(new ConsensusState(7, "n2", false, 3, false, false, false, false, false))).isEqualTo(Role.UNHEALTHY);
        assertThat(RolePolicy.decide(new ConsensusState(7, null, false, 3, false, false, false, false, false))).isEqualTo(Role.UNHEALTHY);
        // and the same states with working storage are what they were
        assertThat(RolePolicy.decide(new ConsensusState(7, "n1", true, 7, true, false, false, true, true))).isEqualTo(Role.ACTIVE);
        assertThat(RolePolicy.decide(new ConsensusState(7, "n2", false, 3, false, false, false, false, true))).isEqualTo(Role.STANDBY);
    }

    @Test
    void followerOfAKnownLeaderIsStandby() {
        assertThat(RolePolicy.decide(new ConsensusState(7, "n2", false, 3, false))).isEqualTo(Role.STANDBY);
    }

    @Test
    void leaderDemotedByRaftForLosingTheMajorityStaysFencedUntilASuccessorIsKnown() {
        assertThat(RolePolicy.decide(new ConsensusState(7, null, false, 7, false, false, false, true))).isEqualTo(Role.FENCED);
        assertThat(RolePolicy.decide(new ConsensusState(7, "n2", false, 7, false, false, false, true))).isEqualTo(Role.STANDBY);
    }

    @Test
    void noLeaderKnownIsCandidate() {
        assertThat(RolePolicy.decide(new ConsensusState(7, null, false, 7, false))).isEqualTo(Role.CANDIDATE);
    }

    @Test
    void trackerLogsTransitionsInOrderAndIgnoresRepeatsAndOlderTerms() {
        RoleTracker tracker = new RoleTracker("n1", 0);
        List<String> seen = new ArrayList<>();
        tracker.addListener((from, to) -> seen.add(from.role() + "->" + to.role() + "@" + to.term()));
        assertThat(tracker.update(Role.STANDBY, 1, "n2", 10)).isTrue();
        assertThat(tracker.update(Role.STANDBY, 1, "n2", 20)).isFalse();
        assertThat(tracker.update(Role.CANDIDATE, 2, null, 30)).isTrue();
        assertThat(tracker.update(Role.ACTIVE, 2, "n1", 40)).isTrue();
        assertThat(tracker.update(Role.STANDBY, 1, "n2", 50)).isFalse();
        assertThat(seen).containsExactly("CANDIDATE->STANDBY@1", "STANDBY->CANDIDATE@2", "CANDIDATE->ACTIVE@2");
        assertThat(tracker.current()).isEqualTo(new RoleState(Role.ACTIVE, 2, "n1", 40));
    }

    @Test
    void aFailingListenerDoesNotStopTheOthers() {
        RoleTracker tracker = new RoleTracker("n1", 0);
        List<Role> seen = new ArrayList<>();
        tracker.addListener((from, to) -> {
            throw new IllegalStateException("boom");
        });
        tracker.addListener((from, to) -> seen.add(to.role()));
        tracker.update(Role.ACTIVE, 1, "n1", 1);
        assertThat(seen).containsExactly(Role.ACTIVE);
    }
}

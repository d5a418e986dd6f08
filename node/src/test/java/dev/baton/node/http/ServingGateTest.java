package dev.baton.node.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.client.wire.LeaderInfo;
import dev.baton.node.http.ServingGate.Decision;
import dev.baton.node.role.Role;
import dev.baton.node.role.RoleState;
import org.junit.jupiter.api.Test;

class ServingGateTest {

    private static final LeaderInfo N2 = new LeaderInfo("n2", "http://127.0.0.12:8080", 7);

    private static RoleState state(Role role, String leader) {
        return new RoleState(role, 7, leader, 0);
    }

    @Test
    void theActiveServesAtOnce() {
        assertThat(ServingGate.decide(state(Role.ACTIVE, "n1"), () -> new LeaderInfo("n1", "http://x:1", 7), "n1")).isEqualTo(Decision.SERVE);
    }

    @Test
    void aStandbyThatKnowsALiveLeaderRedirectsAtOnce() {
        assertThat(ServingGate.decide(state(Role.STANDBY, "n2"), () -> N2, "n1")).isEqualTo(Decision.REFUSE);
    }

    @Test
    void aLeaderAwaitingAnOperatorRefusesAtOnce() {
        assertThat(ServingGate.decide(state(Role.PENDING_APPROVAL, "n1"), () -> null, "n1")).isEqualTo(Decision.REFUSE);
    }

    @Test
    void aLeaderNotYetServingHolds() {
        assertThat(ServingGate.decide(state(Role.CANDIDATE, "n1"), () -> null, "n1")).isEqualTo(Decision.HOLD);
    }

    @Test
    void aFencedLeaderHoldsForItsLeaseOrItsSuccessor() {
        assertThat(ServingGate.decide(state(Role.FENCED, null), () -> null, "n1")).isEqualTo(Decision.HOLD);
    }

    @Test
    void aFollowerDuringAnElectionHolds() {
        assertThat(ServingGate.decide(state(Role.CANDIDATE, null), () -> null, "n1")).isEqualTo(Decision.HOLD);
    }

    @Test
    void aStandbyWhoseLeaderFellSilentHolds() {
        // NodeView names no leader once it has been silent for longer than a lease grant
        assertThat(ServingGate.decide(state(Role.STANDBY, "n2"), () -> null, "n1")).isEqualTo(Decision.HOLD);
    }

    @Test
    void aLeaderWithoutAUrlCannotBeRedirectedToSoTheRequestHolds() {
        assertThat(ServingGate.decide(state(Role.STANDBY, "n2"), () -> new LeaderInfo("n2", null, 7), "n1")).isEqualTo(Decision.HOLD);
    }
}

package dev.baton.node.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.node.role.Role;
import dev.baton.node.role.RoleState;
import dev.baton.node.role.RoleView;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RoleSeriesTest {

    private static RoleView view(Role role, long term, String leader) {
        return new RoleView(new RoleState(role, term, leader, 0), true);
    }

    @Test
    void everyRoleHasASeriesAndOnlyTheCurrentOneIsOne() {
        for (Role current : Role.values()) {
            Map<Role, Double> values = RoleSeries.oneHot(current);
            assertThat(values).as("series for %s", current).hasSize(Role.values().length);
            assertThat(values.entrySet().stream().filter(e -> e.getValue() == 1.0).map(Map.Entry::getKey)).containsExactly(current);
            assertThat(values.values().stream().mapToDouble(Double::doubleValue).sum()).isEqualTo(1.0);
        }
    }

    @Test
    void labelIsTheNameStatusReports() {
        assertThat(RoleSeries.label(Role.PENDING_APPROVAL)).isEqualTo("PENDING_APPROVAL");
    }

    @Test
    void aNewLeaderOrANewTermOfTheSameLeaderIsAChange() {
        assertThat(RoleSeries.leaderChanged(null, -1, view(Role.STANDBY, 1, "n1"))).as("first leader known").isTrue();
        assertThat(RoleSeries.leaderChanged("n1", 1, view(Role.STANDBY, 2, "n2"))).as("another node").isTrue();
        assertThat(RoleSeries.leaderChanged("n1", 1, view(Role.STANDBY, 3, "n1"))).as("same node re-elected").isTrue();
    }

    @Test
    void theSameLeaderOrNoLeaderIsNoChange() {
        assertThat(RoleSeries.leaderChanged("n1", 1, view(Role.STANDBY, 1, "n1"))).as("same leader, same term").isFalse();
        assertThat(RoleSeries.leaderChanged("n1", 1, view(Role.CANDIDATE, 2, null))).as("leader lost").isFalse();
        assertThat(RoleSeries.leaderChanged("n1", 1, view(Role.ACTIVE, 1, "n1"))).as("role change only").isFalse();
    }

    @Test
    void fencedCountsOnEntryOnly() {
        assertThat(RoleSeries.fenced(Role.ACTIVE, Role.FENCED)).isTrue();
        assertThat(RoleSeries.fenced(Role.FENCED, Role.FENCED)).isFalse();
        assertThat(RoleSeries.fenced(Role.ACTIVE, Role.STANDBY)).isFalse();
    }
}

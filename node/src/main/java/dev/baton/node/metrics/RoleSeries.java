package dev.baton.node.metrics;

import dev.baton.node.role.Role;
import dev.baton.node.role.RoleView;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/** Pure: how the role view maps to metric values. */
final class RoleSeries {

    private RoleSeries() {}

    /** One value per {@link Role}: 1 for {@code current}, 0 for every other, so every series always exists. */
    static Map<Role, Double> oneHot(Role current) {
        Map<Role, Double> values = new EnumMap<>(Role.class);
        for (Role r : Role.values()) {
            values.put(r, r == current ? 1.0 : 0.0);
        }
        return values;
    }

    /** The label value of a role series: the enum name, as {@code /v1/status} reports it. */
    static String label(Role role) {
        return role.name();
    }

    /**
     * Whether going from {@code before} to {@code after} is a leader change this node sees: a
     * leader is known afterwards and it is another node, or the same node in another term (it was
     * elected again). Losing the leader is not a change yet; the next leader known is.
     */
    static boolean leaderChanged(String beforeLeader, long beforeTerm, RoleView after) {
        String leader = after.leaderId();
        if (leader == null) {
            return false;
        }
        return !Objects.equals(beforeLeader, leader) || beforeTerm != after.term();
    }

    /** Whether a transition enters FENCED (the lease ran out, or the leader was demoted to fenced). */
    static boolean fenced(Role from, Role to) {
        return to == Role.FENCED && from != Role.FENCED;
    }
}

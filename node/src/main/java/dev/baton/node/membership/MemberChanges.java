package dev.baton.node.membership;

import dev.baton.node.config.MemberSpec;
import dev.baton.node.statemachine.ClusterMember;
import dev.baton.node.statemachine.ClusterMember.Status;
import dev.baton.node.statemachine.MemberTable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * The rules of membership changes, pure: given the member table and what is connected now, the
 * next table or the reason there is none. One member at a time (Raft dissertation §4.1): a newcomer
 * is added as {@link Status#JOINING} (a learner), becomes a voter only once it has caught up, and
 * no other change starts while one is joining. A change that would leave the voters without a
 * reachable majority is refused.
 */
public final class MemberChanges {

    private MemberChanges() {}

    /** Votes that make a majority of {@code voters}. */
    public static int majority(int voters) {
        return voters / 2 + 1;
    }

    /**
     * The members as of {@code table}; before the first change (an empty table), the configured
     * members, voting if they are in {@code initialVoters}.
     */
    public static List<ClusterMember> effective(MemberTable table, List<MemberSpec> configured, Collection<String> initialVoters) {
        if (!table.isEmpty()) {
            return table.members();
        }
        List<ClusterMember> out = new ArrayList<>();
        for (MemberSpec m : configured) {
            out.add(of(m, initialVoters.contains(m.id()) ? Status.VOTER : Status.JOINING));
        }
        return List.copyOf(out);
    }

    public static ClusterMember of(MemberSpec m, Status status) {
        return new ClusterMember(m.id(), m.host(), m.raftPort(), m.httpPort(), status);
    }

    public static MemberSpec spec(ClusterMember m) {
        return new MemberSpec(m.id(), m.host(), m.raftPort(), m.httpPort());
    }

    /** {@code current} plus {@code newcomer}, joining. */
    public static List<ClusterMember> add(List<ClusterMember> current, MemberSpec newcomer) {
        for (ClusterMember m : current) {
            if (m.id().equals(newcomer.id())) {
                throw MembershipException.conflict("'" + newcomer.id() + "' is already a member (" + describe(m) + ")");
            }
            if (m.host().equals(newcomer.host()) && (m.raftPort() == newcomer.raftPort() || m.httpPort() == newcomer.httpPort()
                    || m.raftPort() == newcomer.httpPort() || m.httpPort() == newcomer.raftPort())) {
                throw MembershipException.conflict("an address of " + newcomer.id() + "=" + newcomer.host() + ":"
                        + newcomer.raftPort() + ":" + newcomer.httpPort() + " is already used by '" + m.id() + "' (" + describe(m) + ")");
            }
            if (m.status() == Status.JOINING) {
                throw MembershipException.conflict("'" + m.id() + "' is still joining: one membership change at a time"
                        + " (wait until it votes, or remove it)");
            }
        }
        List<ClusterMember> out = new ArrayList<>(current);
        out.add(of(newcomer, Status.JOINING));
        return List.copyOf(out);
    }

    /** {@code current} with {@code id} voting. */
    public static List<ClusterMember> promote(List<ClusterMember> current, String id) {
        List<ClusterMember> out = new ArrayList<>();
        boolean found = false;
        for (ClusterMember m : current) {
            if (m.id().equals(id)) {
                found = true;
                out.add(m.withStatus(Status.VOTER));
            } else {
                out.add(m);
            }
        }
        if (!found) {
            throw MembershipException.unknown(id);
        }
        return List.copyOf(out);
    }

    /**
     * {@code current} without {@code id}. Refused if it is the last voter, or if the voters left
     * would not have a majority among {@code reachable} (members this node hears from, itself
     * included): the cluster could not commit the change, nor anything after it.
     */
    public static List<ClusterMember> remove(List<ClusterMember> current, String id, Set<String> reachable) {
        ClusterMember gone = current.stream().filter(m -> m.id().equals(id)).findFirst()
                .orElseThrow(() -> MembershipException.unknown(id));
        List<ClusterMember> out = new ArrayList<>();
        for (ClusterMember m : current) {
            if (!m.id().equals(id)) {
                out.add(m);
            }
        }
        if (gone.voter()) {
            List<ClusterMember> voters = out.stream().filter(ClusterMember::voter).toList();
            if (voters.isEmpty()) {
                throw MembershipException.conflict("'" + id + "' is the last voter: a cluster needs at least one");
            }
            long up = voters.stream().filter(m -> reachable.contains(m.id())).count();
            if (up < majority(voters.size())) {
                throw MembershipException.noQuorum("removing '" + id + "' would leave " + voters.size() + " voters of which only "
                        + up + " are reachable; " + majority(voters.size()) + " are needed. Bring a member back first");
            }
        }
        return List.copyOf(out);
    }

    /**
     * Whether promoting {@code joiner} keeps a reachable majority: the voters then are one more,
     * and the joiner (caught up, so reachable) counts.
     */
    public static boolean promotionKeepsQuorum(List<ClusterMember> current, String joiner, Set<String> reachable) {
        long voters = current.stream().filter(ClusterMember::voter).count() + 1;
        long up = current.stream().filter(m -> m.voter() && reachable.contains(m.id())).count() + 1;
        return up >= majority((int) voters);
    }

    public static String describe(ClusterMember m) {
        return m.raftAddress() + ", http " + m.httpPort() + ", " + m.status().name().toLowerCase(java.util.Locale.ROOT);
    }
}

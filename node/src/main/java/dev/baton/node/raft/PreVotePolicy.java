package dev.baton.node.raft;

import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * When a view coordinator may run ELECTION2's pre-vote. Pure.
 *
 * <p>jgroups-raft 1.1.4's ELECTION2 runs a pre-vote whenever a node becomes view coordinator
 * (e.g. after a merge) and starts an election if most answers name the leader the coordinator
 * knows: a rule meant for a coordinator that lost its leader, which also deposes a live one. Seen
 * in the failover benchmark: a resumed old leader coordinated the merged view, learned the new
 * leader from a lease round and deposed it 150 ms later; after a partition heal, the isolated old
 * leader started a pre-vote as a stale leader, adopted the new term before the answers came, and
 * the answers then all named the leader it now followed. So no pre-vote, and no decision on one,
 * while this node knows its leader is alive: it leads with a lease (in its view), or its promise to
 * that leader binds and the leader is in the view or, if not (a stale view, seen right after a
 * resume), still listens on its port.
 */
final class PreVotePolicy {

    private PreVotePolicy() {}

    /**
     * @param leaderId the leader this node knows, or null
     * @param promisedTo the leader this node's promise is for, or null
     * @param leaderGone asked only for a leader outside the view whose promise still binds: true if
     *     its port refuses connections (crashed; see {@link PortProbe})
     */
    static boolean leaderAlive(String leaderId, boolean leaderInView, boolean selfLeads, boolean leaseHeld,
            String promisedTo, boolean promiseBinds, BooleanSupplier leaderGone) {
        if (leaderId == null) {
            return false;
        }
        if (selfLeads) {
            return leaderInView && leaseHeld;
        }
        if (!promiseBinds || !Objects.equals(leaderId, promisedTo)) {
            return false; // silent for longer than any lease it could hold: lost
        }
        // heard from it within the grant: alive, unless the view dropped it because it crashed (the
        // view can also lack it because this node's view is stale, e.g. just resumed from a pause)
        return leaderInView || !leaderGone.getAsBoolean();
    }
}

package dev.baton.node.raft;

import java.util.Objects;

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
 * while this node knows its leader is alive and in the view: it leads with a lease, or its
 * promise to that leader binds.
 */
final class PreVotePolicy {

    private PreVotePolicy() {}

    /**
     * @param leaderId the leader this node knows, or null
     * @param promisedTo the leader this node's promise is for, or null
     */
    static boolean leaderAlive(String leaderId, boolean leaderInView, boolean selfLeads, boolean leaseHeld,
            String promisedTo, boolean promiseBinds) {
        if (leaderId == null || !leaderInView) {
            return false; // a lost leader: exactly what the pre-vote is for
        }
        return selfLeads ? leaseHeld : promiseBinds && Objects.equals(leaderId, promisedTo);
    }
}

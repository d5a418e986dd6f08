package dev.baton.node.fencing;

/**
 * What Raft says at the instant of an event, as this node sees it: the inputs the core needs from
 * the consensus library, so that the core never asks it anything itself.
 *
 * @param selfId this node's member id
 * @param term this node's current term
 * @param leaderId the leader of {@code term} this node knows, or null
 * @param selfLeads whether this node is the Raft leader of {@code term}
 * @param majority how many voters make a majority (counting this node)
 */
public record RaftFacts(String selfId, long term, String leaderId, boolean selfLeads, int majority) {

    /** Whether {@code memberId} is the leader this follower follows in {@code term}. */
    boolean follows(String memberId) {
        return !selfLeads && memberId != null && memberId.equals(leaderId);
    }
}

package dev.baton.node.role;

/**
 * What the consensus layer reports at one instant, the input of {@link RolePolicy}.
 *
 * @param term current Raft term as this node knows it
 * @param leaderId id of the leader this node follows, or null if none is known
 * @param selfIsLeader whether this node is the Raft leader of {@code term}
 * @param readyTerm highest term in which this node, as leader, has seen its own no-op applied
 *     (then every entry committed before its term is applied too)
 * @param leaseHeld whether this node, as leader, holds a lease acknowledged by a majority now
 * @param needsApproval whether promotion needs an operator now (manual failover, maintenance, or
 *     this node is marked no-failover)
 * @param approved whether this node may be ACTIVE in {@code term} anyway: approved by an operator,
 *     target of a planned switchover, or already ACTIVE earlier in this term
 * @param ledThisTerm whether this node was ACTIVE (or FENCED) earlier in {@code term}: a leader
 *     that Raft demoted because it lost the majority, without a successor known yet, is FENCED
 * @param storageHealthy whether every write of this node's log, metadata and snapshot succeeded
 *     last time (see {@code StorageHealth})
 */
public record ConsensusState(
        long term,
        String leaderId,
        boolean selfIsLeader,
        long readyTerm,
        boolean leaseHeld,
        boolean needsApproval,
        boolean approved,
        boolean ledThisTerm,
        boolean storageHealthy) {

    /** Automatic failover: no approval involved; storage healthy. */
    public ConsensusState(long term, String leaderId, boolean selfIsLeader, long readyTerm, boolean leaseHeld) {
        this(term, leaderId, selfIsLeader, readyTerm, leaseHeld, false, false, false, true);
    }

    /** Storage healthy. */
    public ConsensusState(long term, String leaderId, boolean selfIsLeader, long readyTerm, boolean leaseHeld,
            boolean needsApproval, boolean approved, boolean ledThisTerm) {
        this(term, leaderId, selfIsLeader, readyTerm, leaseHeld, needsApproval, approved, ledThisTerm, true);
    }
}

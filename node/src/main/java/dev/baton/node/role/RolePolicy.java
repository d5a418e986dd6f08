package dev.baton.node.role;

/**
 * Maps the consensus state to a {@link Role}. Pure: no clock, no I/O.
 *
 * <p>A leader is ACTIVE only once the no-op it committed for its term has been applied: before
 * that its state machine may lag entries committed by earlier leaders (Raft §5.4.2: a leader
 * cannot count replicas of earlier-term entries, so it commits one of its own first). And it is
 * ACTIVE only while it holds its lease; a ready leader without a lease is FENCED (uncertain
 * leadership counts as lost). Where promotion needs an operator, a ready leader with a lease waits
 * in PENDING_APPROVAL until approved. A node whose storage fails is UNHEALTHY whatever Raft says:
 * it can neither commit as a leader nor be counted on to hold what it acknowledges, so it is never
 * ACTIVE and never a STANDBY that a load balancer or an operator would count on.
 */
public final class RolePolicy {

    private RolePolicy() {}

    public static Role decide(ConsensusState s) {
        if (!s.storageHealthy()) {
            return Role.UNHEALTHY;
        }
        if (s.selfIsLeader()) {
            if (s.readyTerm() != s.term()) {
                return Role.CANDIDATE;
            }
            if (!s.leaseHeld()) {
                // FENCED only if it was ACTIVE (or FENCED) in this term; a new leader still waiting
                // for its first lease round has never served
                return s.ledThisTerm() ? Role.FENCED : Role.CANDIDATE;
            }
            return s.needsApproval() && !s.approved() ? Role.PENDING_APPROVAL : Role.ACTIVE;
        }
        if (s.leaderId() != null) {
            return Role.STANDBY;
        }
        return s.ledThisTerm() ? Role.FENCED : Role.CANDIDATE;
    }
}

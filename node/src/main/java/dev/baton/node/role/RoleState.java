package dev.baton.node.role;

/**
 * A node's role with the term it holds it in and the leader it knows (null if none). {@code
 * monotonicNanos} is {@link System#nanoTime()} at the transition, one clock for every process on a
 * machine, so role intervals of several nodes can be compared.
 */
public record RoleState(Role role, long term, String leaderId, long monotonicNanos) {

    public static RoleState initial(long nanos) {
        return new RoleState(Role.CANDIDATE, 0, null, nanos);
    }

    /** Same role, term and leader (the timestamp is ignored). */
    public boolean sameAs(Role role, long term, String leaderId) {
        return this.role == role && this.term == term && java.util.Objects.equals(this.leaderId, leaderId);
    }
}

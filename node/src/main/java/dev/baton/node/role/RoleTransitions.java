package dev.baton.node.role;

import java.util.Objects;

/**
 * Which role transitions can happen. Pure. A transition that breaks a rule of Raft means a bug in
 * Baton or in jgroups-raft: {@link RoleTracker} logs it as one and counts it.
 */
public final class RoleTransitions {

    private RoleTransitions() {}

    /** Why {@code from -> to} cannot happen, or null if it can. */
    public static String illegal(RoleState from, RoleState to) {
        if (to.term() < from.term()) {
            return "the term went back from " + from.term() + " to " + to.term();
        }
        if (to.term() == from.term() && from.term() > 0) {
            if (from.leaderId() != null && to.leaderId() != null && !from.leaderId().equals(to.leaderId())) {
                // Raft §5.2: at most one leader per term
                return "two leaders in term " + to.term() + ": " + from.leaderId() + " and " + to.leaderId();
            }
            if (from.role() == Role.STANDBY && (to.role() == Role.ACTIVE || to.role() == Role.PENDING_APPROVAL)
                    && Objects.equals(from.leaderId(), to.leaderId())) {
                // a follower of term T cannot become that term's leader: it voted for, or followed, another node
                return "a STANDBY of term " + to.term() + " became " + to.role() + " in the same term";
            }
        }
        return null;
    }
}

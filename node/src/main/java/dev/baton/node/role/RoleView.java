package dev.baton.node.role;

import dev.baton.node.health.StorageFault;
import java.util.Objects;

/**
 * What this node knows about leadership at one instant: the one answer that every part of the
 * node gives (HTTP handlers, {@code /v1/status}, the leader feed, health checks, redirects), so
 * they never disagree. Published by the role owner ({@link RoleTracker}); immutable.
 *
 * @param state role, term, the leader Raft names, and when this was observed
 * @param leaderLive whether the leader this node follows was heard from, or announced, in this
 *     term within the promise grant: only then can it still be acting as the ACTIVE, so only then
 *     are clients sent to it (a hung or cut-off leader stops being named before its successor is
 *     elected). Meaningless for a node that leads itself.
 * @param fault why this node's storage fails (then its role is UNHEALTHY), or null
 */
public record RoleView(RoleState state, boolean leaderLive, StorageFault fault) {

    public RoleView {
        Objects.requireNonNull(state, "state");
    }

    /** Storage healthy. */
    public RoleView(RoleState state, boolean leaderLive) {
        this(state, leaderLive, null);
    }

    public static RoleView initial(long nanos) {
        return new RoleView(RoleState.initial(nanos), false);
    }

    public Role role() {
        return state.role();
    }

    public long term() {
        return state.term();
    }

    /** The leader Raft names in this term (maybe this node, maybe silent), or null. */
    public String leaderId() {
        return state.leaderId();
    }

    /**
     * The node a request that needs the ACTIVE should go to, as far as this node knows: itself only
     * while it is ACTIVE, the leader it follows only while that leader is live, else null.
     */
    public String activeId(String selfId) {
        String leader = state.leaderId();
        if (leader == null) {
            return null;
        }
        if (leader.equals(selfId)) {
            return state.role() == Role.ACTIVE ? leader : null;
        }
        return leaderLive ? leader : null;
    }

    /** Whether this node is the leader of its term (ACTIVE, or elected and waiting for approval). */
    public boolean leads() {
        return state.role() == Role.ACTIVE || state.role() == Role.PENDING_APPROVAL;
    }

    /** Same observation apart from the timestamp. */
    public boolean sameAs(RoleView other) {
        return leaderLive == other.leaderLive && Objects.equals(fault, other.fault)
                && state.sameAs(other.role(), other.term(), other.leaderId());
    }
}

package dev.baton.node.role;

/** What a node is doing for the cluster right now. */
public enum Role {
    /** Raft leader of the current term whose term no-op has been applied: the one node that serves. */
    ACTIVE,
    /** Follower that knows the current leader: replicates and is ready to take over. */
    STANDBY,
    /**
     * Raft leader whose lease ran out (lost contact with a majority, or was paused): it stops
     * serving before a successor can be elected, and is ACTIVE again only after a fresh quorum round.
     */
    FENCED,
    /**
     * Raft leader, caught up and holding its lease, waiting for an operator's approval ({@code baton
     * promote}) because failover is manual, maintenance mode is on, or this node is marked
     * no-failover. It serves nothing meanwhile.
     */
    PENDING_APPROVAL,
    /** No usable leader known here (election in progress, no majority, or a new leader still catching up). */
    CANDIDATE,
    /**
     * This node cannot persist what Raft needs (disk full, read-only or failing log, metadata or
     * snapshot; the reason is in {@code /v1/status}): it serves no writes, does not vote or stand
     * for election, and becomes a STANDBY again by itself once its writes succeed.
     */
    UNHEALTHY
}

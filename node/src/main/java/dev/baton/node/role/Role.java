package dev.baton.node.role;

/** What a node is doing for the cluster right now. */
public enum Role {
    /** Raft leader of the current term whose term no-op has been applied: the one node that serves. */
    ACTIVE,
    /** Follower that knows the current leader: replicates and is ready to take over. */
    STANDBY,
    /** No usable leader known here (election in progress, no majority, or a new leader still catching up). */
    CANDIDATE
}

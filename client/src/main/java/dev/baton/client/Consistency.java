package dev.baton.client;

/** How fresh a read must be. */
public enum Consistency {
    /**
     * Served by the ACTIVE through the replicated log: the read sees every write acknowledged
     * before it started (Raft §8). Fails over like a write.
     */
    LINEARIZABLE,
    /**
     * Served by any node (round-robin over the known nodes, the next one on failure) from its
     * local replica, without a round through the log. May miss recent writes; the result says how
     * far behind the node may be ({@link ReadResult#stalenessMs()}). Keeps working while no node is
     * ACTIVE, e.g. during an election.
     */
    STALE
}

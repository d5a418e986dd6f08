package dev.baton.client.wire;

/**
 * The active node as one node sees it: its id, its HTTP base URL and the Raft term in which it leads.
 * The term is the fencing token: a downstream system keeps the highest term it has seen and rejects
 * anything stamped with a lower one.
 */
public record LeaderInfo(String id, String url, long term) {}

package dev.baton.client.wire;

/** Answer of {@code POST /v1/admin/promote}: the leader, its term, and whether this call promoted it (false: it was ACTIVE already). */
public record PromoteResult(String id, long term, boolean promoted, String message) {}

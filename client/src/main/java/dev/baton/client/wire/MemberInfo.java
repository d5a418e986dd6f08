package dev.baton.client.wire;

/**
 * One configured cluster member. {@code connected} says whether it is in this node's current group
 * view (it can be reached over the cluster transport right now); {@code fault} is the storage fault
 * it last reported (see {@link HealthInfo#reason()}), null if it reported none.
 */
public record MemberInfo(String id, String url, String raftAddress, boolean connected, String fault) {}

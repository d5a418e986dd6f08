package dev.baton.client.wire;

/**
 * One configured cluster member. {@code connected} says whether it is in this node's current group
 * view (it can be reached over the cluster transport right now); {@code fault} is the storage fault
 * it last reported (see {@link HealthInfo#reason()}), null if it reported none. {@code lagEntries}:
 * on the leader, the log entries this member has not acknowledged yet (null on other nodes and for
 * the leader itself); {@code heartbeatAgeMs}: ms since the answering node last heard this member's
 * health beacon (null for itself, or if never heard).
 */
public record MemberInfo(String id, String url, String raftAddress, boolean connected, String fault, Long lagEntries,
        Long heartbeatAgeMs) {

    /** Without lag and heartbeat age (as before they were reported). */
    public MemberInfo(String id, String url, String raftAddress, boolean connected, String fault) {
        this(id, url, raftAddress, connected, fault, null, null);
    }
}

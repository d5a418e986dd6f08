package dev.baton.client.wire;

/**
 * One configured cluster member. {@code connected} says whether it is in this node's current group
 * view (it can be reached over the cluster transport right now); {@code fault} is the storage fault
 * it last reported (see {@link HealthInfo#reason()}), null if it reported none. {@code lagEntries}:
 * on the leader, the log entries this member has not acknowledged yet (null on other nodes and for
 * the leader itself); {@code heartbeatAgeMs}: ms since the answering node last heard this member's
 * health beacon (null for itself, or if never heard). {@code status}: {@code voter}, or {@code
 * joining} while a new member catches up as a learner (it votes for nothing and counts for no
 * commit until then); null from nodes older than membership changes.
 */
public record MemberInfo(String id, String url, String raftAddress, boolean connected, String fault, Long lagEntries,
        Long heartbeatAgeMs, String status) {

    public static final String VOTER = "voter";
    public static final String JOINING = "joining";

    /** Without lag and heartbeat age (as before they were reported). */
    public MemberInfo(String id, String url, String raftAddress, boolean connected, String fault) {
        this(id, url, raftAddress, connected, fault, null, null, VOTER);
    }

    /** Without a status (as before membership changes): a voter. */
    public MemberInfo(String id, String url, String raftAddress, boolean connected, String fault, Long lagEntries,
            Long heartbeatAgeMs) {
        this(id, url, raftAddress, connected, fault, lagEntries, heartbeatAgeMs, VOTER);
    }

    /** Whether it votes (a member reported without a status does). */
    public boolean voter() {
        return status == null || VOTER.equals(status);
    }
}

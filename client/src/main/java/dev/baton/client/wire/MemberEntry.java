package dev.baton.client.wire;

/**
 * One row of the replicated member table ({@code GET /v1/admin/members}): where the member listens
 * and whether it votes ({@code status}: {@link MemberInfo#VOTER} or {@link MemberInfo#JOINING}).
 * {@code connected}: whether it is in the answering node's group view; {@code lagEntries}: on the
 * leader, log entries it has not acknowledged yet (null elsewhere and for the leader itself).
 */
public record MemberEntry(String id, String host, int raftPort, int httpPort, String url, String status, boolean connected,
        Long lagEntries) {

    public String raftAddress() {
        return host + ":" + raftPort;
    }

    /** {@code ID=HOST:RAFT_PORT:HTTP_PORT}, as {@code --members} and {@code baton members add} take it. */
    public String spec() {
        return id + "=" + host + ":" + raftPort + ":" + httpPort;
    }
}

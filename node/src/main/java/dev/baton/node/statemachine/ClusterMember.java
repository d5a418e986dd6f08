package dev.baton.node.statemachine;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Objects;

/**
 * One member of the replicated member table: where it listens, and whether it votes yet. A member
 * is added {@link Status#JOINING} (a Raft learner: it receives the log but neither votes nor counts
 * for a commit) and becomes {@link Status#VOTER} once it has caught up with the leader.
 */
public record ClusterMember(String id, String host, int raftPort, int httpPort, Status status) {

    public enum Status { VOTER, JOINING }

    public ClusterMember {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(status, "status");
    }

    public boolean voter() {
        return status == Status.VOTER;
    }

    public String raftAddress() {
        return host + ":" + raftPort;
    }

    public ClusterMember withStatus(Status s) {
        return new ClusterMember(id, host, raftPort, httpPort, s);
    }

    void writeTo(DataOutput out) throws IOException {
        out.writeUTF(id);
        out.writeUTF(host);
        out.writeInt(raftPort);
        out.writeInt(httpPort);
        out.writeByte(status.ordinal());
    }

    static ClusterMember readFrom(DataInput in) throws IOException {
        String id = in.readUTF();
        String host = in.readUTF();
        int raft = in.readInt();
        int http = in.readInt();
        int s = in.readByte();
        if (s < 0 || s >= Status.values().length) {
            throw new IOException("member '" + id + "' has unknown status " + s);
        }
        return new ClusterMember(id, host, raft, http, Status.values()[s]);
    }
}

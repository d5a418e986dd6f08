package dev.baton.node.statemachine;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The replicated member table: every member's id, addresses and voting status, in the order they
 * were added. Empty until the first membership change: until then the members are the ones every
 * node was started with ({@code --members}). {@code changes} counts the tables applied, so a reader
 * can tell a new table from the same one.
 */
public record MemberTable(List<ClusterMember> members, long changes, String lastChange) {

    public static final MemberTable EMPTY = new MemberTable(List.of(), 0, "");

    public MemberTable {
        members = List.copyOf(members);
    }

    public boolean isEmpty() {
        return members.isEmpty();
    }

    public Optional<ClusterMember> member(String id) {
        return members.stream().filter(m -> m.id().equals(id)).findFirst();
    }

    /** The table after {@code command} was applied. */
    MemberTable apply(Command.SetMembers command) {
        return new MemberTable(command.members(), changes + 1, command.change());
    }

    void writeTo(DataOutput out) throws IOException {
        out.writeLong(changes);
        out.writeUTF(lastChange);
        writeMembers(out, members);
    }

    static MemberTable readFrom(DataInput in) throws IOException {
        long changes = in.readLong();
        String last = in.readUTF();
        return new MemberTable(readMembers(in), changes, last);
    }

    static void writeMembers(DataOutput out, List<ClusterMember> members) throws IOException {
        out.writeInt(members.size());
        for (ClusterMember m : members) {
            m.writeTo(out);
        }
    }

    static List<ClusterMember> readMembers(DataInput in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > 10_000) {
            throw new IOException("member table of " + n + " members");
        }
        List<ClusterMember> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(ClusterMember.readFrom(in));
        }
        return out;
    }
}

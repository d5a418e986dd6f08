package dev.baton.node.statemachine;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * One leadership term as the replicated log recorded it. Immutable. Times are epoch ms, -1 when not
 * known; see {@link LeadershipHistory#CLOCK} for whose clock each one is.
 *
 * @param term the Raft term
 * @param leader the leader's node id
 * @param cause why the term began
 * @param activeAtMs when its leader proposed its first entry (or, if it waited, when the approval or
 *     the end of maintenance was submitted), on that leader's wall clock
 * @param endedAtMs when it ended: on a hand-over the old leader's wall clock when it submitted the
 *     hand-over entry, else the next leader's wall clock minus the time since it last heard this one
 * @param gapMs ms without an ACTIVE before this term, on the new leader's monotonic clock (-1: unknown)
 * @param previousLeader the leader of the term recorded before this one, or null
 * @param endReason {@link TermCause#SWITCHOVER} or {@link TermCause#HANDOVER} once its leader handed
 *     over, else null
 * @param awaitingApproval whether the leader still waits for an approval or the end of maintenance
 */
public record TermRecord(long term, String leader, TermCause cause, long activeAtMs, long endedAtMs, long gapMs,
        String previousLeader, TermCause endReason, boolean awaitingApproval) {

    TermRecord ended(long atMs, TermCause reason) {
        return new TermRecord(term, leader, cause, activeAtMs, atMs, gapMs, previousLeader, reason, awaitingApproval);
    }

    TermRecord activated(TermCause how, long atMs) {
        return new TermRecord(term, leader, how, atMs, endedAtMs, gapMs, previousLeader, endReason, false);
    }

    void writeTo(DataOutput out) throws IOException {
        out.writeLong(term);
        out.writeUTF(leader);
        out.writeUTF(cause.wireName());
        out.writeLong(activeAtMs);
        out.writeLong(endedAtMs);
        out.writeLong(gapMs);
        out.writeUTF(previousLeader == null ? "" : previousLeader);
        out.writeUTF(endReason == null ? "" : endReason.wireName());
        out.writeBoolean(awaitingApproval);
    }

    static TermRecord readFrom(DataInput in) throws IOException {
        long term = in.readLong();
        String leader = in.readUTF();
        TermCause cause = TermCause.fromWire(in.readUTF());
        long active = in.readLong();
        long ended = in.readLong();
        long gap = in.readLong();
        String previous = in.readUTF();
        String reason = in.readUTF();
        boolean awaiting = in.readBoolean();
        return new TermRecord(term, leader, cause, active, ended, gap, previous.isEmpty() ? null : previous,
                reason.isEmpty() ? null : TermCause.fromWire(reason), awaiting);
    }
}

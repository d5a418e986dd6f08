package dev.baton.node.statemachine;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * Operator settings replicated through the log (immutable; each command makes a new one).
 *
 * @param approvedTerm highest term whose leader an operator approved (manual failover)
 * @param maintenance whether maintenance mode is on
 * @param maintenanceUntilEpochMs when it ends by itself (0 = never), by the leader's clock when set
 * @param handoverTarget the node a planned switchover hands leadership to (null = none)
 * @param handoverFromTerm the term of the leader that planned it
 */
public record ClusterControl(
        long approvedTerm, boolean maintenance, long maintenanceUntilEpochMs, String handoverTarget, long handoverFromTerm) {

    public static final ClusterControl INITIAL = new ClusterControl(0, false, 0, null, 0);

    ClusterControl withApproval(long term) {
        return new ClusterControl(Math.max(approvedTerm, term), maintenance, maintenanceUntilEpochMs, handoverTarget, handoverFromTerm);
    }

    ClusterControl withMaintenance(boolean on, long untilEpochMs) {
        return new ClusterControl(approvedTerm, on, on ? untilEpochMs : 0, handoverTarget, handoverFromTerm);
    }

    ClusterControl withHandover(String target, long fromTerm) {
        return new ClusterControl(approvedTerm, maintenance, maintenanceUntilEpochMs, target, fromTerm);
    }

    /**
     * The no-op of the first leader after a planned switchover: if that leader is the target, its
     * term counts as approved; either way the switchover is over, so the target gets no approval
     * for any later term.
     */
    ClusterControl resolveHandover(long term, String leaderId) {
        if (handoverTarget == null || term <= handoverFromTerm) {
            return this;
        }
        long approved = handoverTarget.equals(leaderId) ? Math.max(approvedTerm, term) : approvedTerm;
        return new ClusterControl(approved, maintenance, maintenanceUntilEpochMs, null, 0);
    }

    /** Whether maintenance mode is in force at {@code nowEpochMs} (by the reader's clock). */
    public boolean maintenanceAt(long nowEpochMs) {
        return maintenance && (maintenanceUntilEpochMs == 0 || nowEpochMs < maintenanceUntilEpochMs);
    }

    /**
     * Whether the leader of {@code term} may become ACTIVE without an operator: an operator approved
     * this term, or it is the first term after a switchover to {@code nodeId} (resolved when that
     * term's no-op is applied, see {@link #resolveHandover}).
     */
    public boolean approves(String nodeId, long term) {
        return approvedTerm == term;
    }

    void writeTo(DataOutput out) throws IOException {
        out.writeLong(approvedTerm);
        out.writeBoolean(maintenance);
        out.writeLong(maintenanceUntilEpochMs);
        out.writeUTF(handoverTarget == null ? "" : handoverTarget);
        out.writeLong(handoverFromTerm);
    }

    static ClusterControl readFrom(DataInput in) throws IOException {
        long approved = in.readLong();
        boolean m = in.readBoolean();
        long until = in.readLong();
        String target = in.readUTF();
        long from = in.readLong();
        return new ClusterControl(approved, m, until, target.isEmpty() ? null : target, from);
    }
}

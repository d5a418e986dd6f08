package dev.baton.node.fencing;

/**
 * The fencing state of one node as of its last event, published by {@link FencingCore}'s owner
 * for every other thread to read. Immutable; every answer takes the reader's {@code nowNanos}.
 *
 * @param leaseTerm the term the lease belongs to (-1: none yet)
 * @param leaseHeld whether a lease of {@code leaseTerm} was ever acknowledged
 * @param leaseExpiryNanos when that lease ends
 * @param surrenderedTerm the highest term this node gave its lease up for (-1: none)
 * @param promisedTo the leader this node last heard from as a follower, or null
 * @param promiseTerm the term it heard that leader in
 * @param lastHeardNanos when it last heard from it
 * @param promiseUntilNanos until when its promise binds; meaningful only while {@code promiseActive}
 * @param promiseActive whether the promise was neither released nor revoked
 * @param hold a switchover this follower is not the target of, or null
 * @param point on the old leader during its switchover: the switchover point, or null
 */
public record FencingView(
        long leaseTerm,
        boolean leaseHeld,
        long leaseExpiryNanos,
        long surrenderedTerm,
        String promisedTo,
        long promiseTerm,
        long lastHeardNanos,
        long promiseUntilNanos,
        boolean promiseActive,
        TransferHold hold,
        TransferPoint point) {

    /** A switchover seen by a follower that is not its target. */
    public record TransferHold(String from, long term, long lastIndex, long untilNanos) {}

    /** The old leader's switchover point. */
    public record TransferPoint(long term, long lastIndex) {}

    public static final FencingView INITIAL = new FencingView(-1, false, 0, -1, null, 0, 0, 0, false, null, null);

    /** Whether this node holds the lease of {@code term} at {@code nowNanos}. */
    public boolean leaseHolds(long term, long nowNanos) {
        return leaseHeld && term == leaseTerm && leaseExpiryNanos - nowNanos > 0;
    }

    /** Whether this node's promise holds back vote requests at {@code nowNanos}. */
    public boolean promiseBinds(long nowNanos) {
        return promiseActive && promiseUntilNanos - nowNanos > 0;
    }

    /** Nanos since {@code leaderId} was last heard from as leader of {@code term}, or -1 if not in that term. */
    public long sinceHeardFrom(String leaderId, long term, long nowNanos) {
        if (promisedTo == null || !promisedTo.equals(leaderId) || promiseTerm != term) {
            return -1;
        }
        return nowNanos - lastHeardNanos;
    }

    /**
     * Whether a follower must drop entries from {@code from} of {@code term} ending at {@code
     * entriesEndIndex}: they go beyond the switchover point of a hand-over to another node.
     */
    public boolean beyondTransferPoint(String from, long term, long currentTerm, long entriesEndIndex, long nowNanos) {
        TransferHold h = hold;
        if (h == null || currentTerm > h.term() || nowNanos - h.untilNanos() > 0) {
            return false;
        }
        return h.from().equals(from) && h.term() == term && entriesEndIndex > h.lastIndex();
    }
}

package dev.baton.node.fencing;

/**
 * A follower's promise to the leader it follows: for {@code grantNanos} after it last heard from
 * that leader, it helps elect no one else (it holds back vote requests). This is what makes the
 * leader's {@link Lease} safe. Pure: time is passed in.
 *
 * <p>The promise is released early only when the leader is known to be gone for good (its
 * process no longer listens), since a dead leader cannot act on its lease.
 *
 * <p>Not thread-safe: the owner synchronizes.
 */
public final class Promise {

    private final long grantNanos;
    private String leaderId;
    private long term;
    private long lastHeardNanos;
    private boolean active;
    private String revokedLeader;
    private long revokedTerm;

    public Promise(long grantNanos) {
        if (grantNanos <= 0) {
            throw new IllegalArgumentException("grant must be positive");
        }
        this.grantNanos = grantNanos;
    }

    /** Heard from the leader of {@code term} at {@code nowNanos}: the promise runs from now. */
    public void heardFrom(String leaderId, long term, long nowNanos) {
        if (revoked(leaderId, term)) {
            return; // that leader gave up this term: nothing it sends renews a promise
        }
        this.leaderId = leaderId;
        this.term = term;
        this.lastHeardNanos = nowNanos;
        this.active = true;
    }

    /** Whether vote requests must be held back at {@code nowNanos}. */
    public boolean binds(long nowNanos) {
        return active && (lastHeardNanos + grantNanos) - nowNanos > 0;
    }

    /** Nanos until the promise ends (0 if it does not bind). */
    public long remainingNanos(long nowNanos) {
        return binds(nowNanos) ? (lastHeardNanos + grantNanos) - nowNanos : 0;
    }

    /** The leader is gone for good: nothing left to protect. */
    public void release() {
        active = false;
    }

    /**
     * The leader stepped down from {@code term} (it fenced itself first): release the promise and
     * make no new one to it for that term.
     */
    public void revoke(String leaderId, long term) {
        revokedLeader = leaderId;
        revokedTerm = term;
        if (java.util.Objects.equals(this.leaderId, leaderId) && this.term <= term) {
            active = false;
        }
    }

    /** Whether {@code leaderId} gave up {@code term}. */
    public boolean revoked(String leaderId, long term) {
        return revokedLeader != null && revokedLeader.equals(leaderId) && term <= revokedTerm;
    }

    /** The leader last heard from, or null if none. */
    public String leaderId() {
        return leaderId;
    }

    public long term() {
        return term;
    }

    /** When the leader was last heard from; meaningful only if {@link #leaderId()} is not null. */
    public long lastHeardNanos() {
        return lastHeardNanos;
    }

    /** Whether the promise was made and neither released nor revoked (it may still have run out). */
    public boolean active() {
        return active;
    }
}

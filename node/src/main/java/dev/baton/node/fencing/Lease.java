package dev.baton.node.fencing;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

/**
 * The leader's lease: the leader may act as ACTIVE only while a majority has acknowledged a lease
 * round it started less than {@code durationNanos} ago. Pure: time is passed in (monotonic nanos,
 * e.g. {@link System#nanoTime()}), and so is the majority.
 *
 * <p>Why it is safe: a follower that acknowledges a round promises (see {@link Promise}) not to
 * help elect another leader for {@code grant} after it received the round, and it received it
 * after the leader started it. With {@code duration < grant} (minus clock-rate drift), the lease
 * ends on the leader before any acknowledging follower's promise ends, and an election needs a
 * majority, which includes at least one of them (Raft dissertation §6.4.1).
 *
 * <p>A lease belongs to one term: starting a round in a new term forgets the old lease.
 *
 * <p>Not thread-safe: the owner synchronizes.
 */
public final class Lease {

    private static final int ROUNDS_KEPT = 64;

    private final long durationNanos;
    private final Round[] rounds = new Round[ROUNDS_KEPT];
    private long term = -1;
    private long nextRound = 1;
    private long expiryNanos;
    private boolean held;
    private long surrenderedTerm = -1;

    public Lease(long durationNanos) {
        if (durationNanos <= 0) {
            throw new IllegalArgumentException("lease duration must be positive");
        }
        this.durationNanos = durationNanos;
    }

    /** Starts a lease round in {@code term} at {@code nowNanos}; returns the round number to send. */
    public long startRound(long term, long nowNanos) {
        if (term <= surrenderedTerm) {
            return -1;
        }
        if (term != this.term) {
            forget(term);
        }
        long round = nextRound++;
        rounds[(int) (round % ROUNDS_KEPT)] = new Round(round, nowNanos);
        return round;
    }

    /**
     * Counts {@code follower}'s acknowledgement of {@code round} in {@code term}; {@code majority}
     * counts the leader itself. Returns true if the lease was extended.
     */
    public boolean ack(long term, long round, String follower, int majority) {
        if (term != this.term || term <= surrenderedTerm) {
            return false;
        }
        Round r = rounds[(int) (round % ROUNDS_KEPT)];
        if (r == null || r.number != round) {
            return false; // too old, or never started
        }
        r.ackers.add(follower);
        if (r.ackers.size() + 1 >= majority) {
            return extendFrom(r.sentNanos);
        }
        return false;
    }

    /**
     * A log entry of {@code term} submitted at {@code submittedNanos} was committed: a majority
     * received it after that instant, which renews the lease like an acknowledged round.
     */
    public boolean committed(long term, long submittedNanos) {
        if (term <= surrenderedTerm) {
            return false;
        }
        if (term != this.term) {
            if (term < this.term) {
                return false;
            }
            forget(term);
        }
        return extendFrom(submittedNanos);
    }

    private boolean extendFrom(long startNanos) {
        long candidate = startNanos + durationNanos;
        if (!held || candidate - expiryNanos > 0) {
            expiryNanos = candidate;
            held = true;
            return true;
        }
        return false;
    }

    private void forget(long newTerm) {
        term = newTerm;
        held = false;
        expiryNanos = 0;
        Arrays.fill(rounds, null);
    }

    private static final class Round {
        final long number;
        final long sentNanos;
        final Set<String> ackers = new HashSet<>();

        Round(long number, long sentNanos) {
            this.number = number;
            this.sentNanos = sentNanos;
        }
    }

    /** Gives the lease up at once (stepping down): no round of this term renews it any more. */
    public void surrender(long term) {
        if (term >= this.term) {
            forget(term);
            surrenderedTerm = term;
        }
    }

    /** Whether the lease of {@code term} is valid at {@code nowNanos}. */
    public boolean holds(long term, long nowNanos) {
        return held && term == this.term && expiryNanos - nowNanos > 0;
    }

    /** Whether a lease of the current {@link #term()} was ever acknowledged (and not surrendered). */
    public boolean heldInTerm() {
        return held;
    }

    /** When the current lease ends (meaningful only if it was ever held in this term). */
    public long expiryNanos() {
        return expiryNanos;
    }

    public long term() {
        return term;
    }

    /** The highest term this node surrendered (-1: none). */
    public long surrenderedTerm() {
        return surrenderedTerm;
    }
}

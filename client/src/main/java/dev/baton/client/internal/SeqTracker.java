package dev.baton.client.internal;

import java.util.TreeSet;

/**
 * Sequence numbers of one client's writes, for the node's de-duplication table. Each logical write
 * takes one number with {@link #begin()} (all its attempts send it as {@code Baton-Request-Seq}) and
 * gives it back with {@link #end(long)} once the caller has its final answer. {@link #ackedBelow()}
 * is the value of {@code Baton-Acked-Below}: the lowest number still in flight, or the next number
 * if none is; every number below it has had its final answer, so the node may forget it.
 *
 * <p>Thread-safe. One lock makes "take a number" and "mark it in flight" a single step: otherwise a
 * concurrent {@link #ackedBelow()} could pass over a number that is taken but not yet in flight and
 * tell the node to refuse that write. Numbers start at 1.
 */
public final class SeqTracker {

    private long last; // guarded by this
    private final TreeSet<Long> inFlight = new TreeSet<>(); // guarded by this

    /** Takes the next number and marks it in flight. */
    public synchronized long begin() {
        last++;
        inFlight.add(last);
        return last;
    }

    /** The write numbered {@code seq} has its final answer (success, error or unknown outcome). */
    public synchronized void end(long seq) {
        if (!inFlight.remove(seq)) {
            throw new IllegalStateException("sequence number " + seq + " is not in flight");
        }
    }

    /** Every number below this one has had its final answer: the lowest in flight, else the next. */
    public synchronized long ackedBelow() {
        return inFlight.isEmpty() ? last + 1 : inFlight.first();
    }

    public synchronized int inFlightCount() {
        return inFlight.size();
    }
}

package dev.baton.bench;

/**
 * Spreads writes evenly at a fixed rate over any number of sender threads: each claim gets the next
 * send time, one interval after the previous claim. A slot nobody claimed in time is dropped, not
 * made up for: after a stall (a failover, all senders busy) the rate does not burst above the target,
 * so the load is "at most this rate", and the rate achieved is what the acknowledgements show.
 * Time is an argument ({@code System.nanoTime()} values); thread-safe.
 */
final class WritePacer {

    private final long intervalNanos;
    private long next = Long.MIN_VALUE; // guarded by this

    WritePacer(double writesPerSecond) {
        if (!(writesPerSecond > 0)) {
            throw new IllegalArgumentException("write rate must be above 0, not " + writesPerSecond);
        }
        this.intervalNanos = Math.max(1, Math.round(1e9 / writesPerSecond));
    }

    /** The time at which the caller may send its write: never before {@code nowNanos}. */
    synchronized long claim(long nowNanos) {
        next = next == Long.MIN_VALUE ? nowNanos : Math.max(next + intervalNanos, nowNanos);
        return next;
    }

    /** Forgets the schedule (after a pause): the next claim starts a new one at its own time. */
    synchronized void reset() {
        next = Long.MIN_VALUE;
    }
}

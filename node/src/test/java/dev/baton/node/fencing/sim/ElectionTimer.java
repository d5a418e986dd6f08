package dev.baton.node.fencing.sim;

import java.util.function.LongConsumer;

/**
 * When one node gives up on its leader and starts an election: a deadline on the node's own clock,
 * moved by what the node hears (failure detection: FD_ALL3 + VERIFY_SUSPECT2 in production, or
 * FD_SOCK2 at once for a crashed leader), with at most one {@link NodeInput.ElectionDue} pending
 * per deadline that moved earlier. One per process incarnation.
 */
final class ElectionTimer {

    private final SimClock clock;
    private final LongConsumer wakeAtLocal;
    private long dueLocal;
    private long armedAtTrue = Long.MAX_VALUE; // the earliest ElectionDue pending, in true time

    /** @param wakeAtLocal schedules an {@link NodeInput.ElectionDue} for this incarnation at a local time */
    ElectionTimer(SimClock clock, LongConsumer wakeAtLocal, long dueLocal) {
        this.clock = clock;
        this.wakeAtLocal = wakeAtLocal;
        this.dueLocal = dueLocal;
        arm();
    }

    /** The deadline is now {@code local} (later or earlier than before). */
    void dueAt(long local) {
        dueLocal = local;
        arm();
    }

    /** An {@link NodeInput.ElectionDue} arrived at {@code local}: true if the deadline has passed. */
    boolean fired(long local) {
        armedAtTrue = Long.MAX_VALUE;
        if (local - dueLocal < 0) {
            arm(); // moved later since this one was scheduled
            return false;
        }
        return true;
    }

    private void arm() {
        long at = clock.trueAt(dueLocal);
        if (at < armedAtTrue) {
            armedAtTrue = at;
            wakeAtLocal.accept(dueLocal);
        }
    }
}

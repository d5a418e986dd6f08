package dev.baton.node.fencing.sim;

/**
 * A planned switchover on the old leader, as {@code Switchover.run} does it, one step per timer of
 * the old leader's process (so that pauses and crashes hit it too): surrender the lease; wait until
 * the target has the whole log; announce the switch point and append the hand-over entry, which
 * only the target takes; ask the target to run an election; wait until some newer term is seen.
 * A step that times out fails the switchover: the old leader releases its followers' promises and
 * the cluster elects as after a failure.
 *
 * <p>Simplified against production: the target runs the election itself (there, the view
 * coordinator does, and picks the longest log); the old leader's vote need not under-report its
 * log, since a candidate-driven election compares logs with the candidate's.
 */
final class SimSwitchover {

    enum Phase { CATCH_UP, HAND_OVER, ELECTION }

    static final long STEP_NANOS = 10 * SimConfig.MS;
    static final long CATCH_UP_NANOS = 1_000 * SimConfig.MS; // Switchover.TRANSFER_STEP_MS
    static final long ELECTION_NANOS = 3_000 * SimConfig.MS;
    /** A fault plan waits this long after starting one before it heals everything. */
    static final long LONGEST_NANOS = 2 * CATCH_UP_NANOS + ELECTION_NANOS + 100 * SimConfig.MS;

    private final long term;
    private final int target;
    private Phase phase = Phase.CATCH_UP;
    private long handOverIndex;
    private long deadlineLocal;

    SimSwitchover(long term, int target, long startLocal) {
        this.term = term;
        this.target = target;
        this.deadlineLocal = startLocal + CATCH_UP_NANOS;
    }

    long term() {
        return term;
    }

    int target() {
        return target;
    }

    Phase phase() {
        return phase;
    }

    long handOverIndex() {
        return handOverIndex;
    }

    boolean overdue(long local) {
        return local - deadlineLocal >= 0;
    }

    /** The switch point was announced and the hand-over entry appended at {@code index}. */
    void handingOver(long index, long local) {
        phase = Phase.HAND_OVER;
        handOverIndex = index;
        deadlineLocal = local + CATCH_UP_NANOS;
    }

    /** The target has the hand-over entry and was asked to run an election. */
    void electing(long local) {
        phase = Phase.ELECTION;
        deadlineLocal = local + ELECTION_NANOS;
    }
}

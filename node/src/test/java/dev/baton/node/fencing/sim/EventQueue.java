package dev.baton.node.fencing.sim;

import java.util.PriorityQueue;

/**
 * The discrete-event scheduler: actions ordered by true time, ties broken by the order they were
 * scheduled in, so that a run is a function of its seed alone.
 */
final class EventQueue {

    private record Entry(long at, long seq, Runnable action) {}

    private final PriorityQueue<Entry> entries = new PriorityQueue<>((a, b) -> {
        int c = Long.compare(a.at, b.at);
        return c != 0 ? c : Long.compare(a.seq, b.seq);
    });
    private long nextSeq;
    private long now;

    /** The true time of the action being run (or last run). */
    long now() {
        return now;
    }

    /** Runs {@code action} at true time {@code at}; a time in the past means now. */
    void at(long at, Runnable action) {
        entries.add(new Entry(Math.max(at, now), nextSeq++, action));
    }

    /** Runs the next action if it is due by {@code until}; false if none is. */
    boolean runNext(long until) {
        Entry e = entries.peek();
        if (e == null || e.at > until) {
            return false;
        }
        entries.poll();
        now = e.at;
        e.action.run();
        return true;
    }
}

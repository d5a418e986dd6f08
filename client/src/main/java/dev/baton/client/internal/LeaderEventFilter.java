package dev.baton.client.internal;

import dev.baton.client.LeaderEvent;

/**
 * Decides which leadership events a watch delivers, so that events merged from several nodes and
 * reconnects come out in term order, each once. Pure; confined to the watch thread.
 *
 * <ul>
 *   <li>A leader event is delivered iff its term is higher than that of every leader delivered so
 *       far and not lower than any delivered term: so the leader of each term is delivered at most
 *       once, and terms never go back (Raft §5.1: at most one leader per term). A "no leader" at
 *       term T followed by the leader of T (an election in term T) delivers both.
 *   <li>A "no leader" event is delivered iff the last delivered event was a leader (or nothing was
 *       delivered yet) and its term is not lower than the last delivered term: it says "the active
 *       of that term is gone", once. Repeats from other nodes are dropped.
 * </ul>
 *
 * Consequence: if the leader of term T is reported again after a "no leader" at term T (e.g. it
 * regained its lease), that is not delivered; the next delivered event is the leader of a higher
 * term.
 */
public final class LeaderEventFilter {

    private long lastTerm = -1;
    private long lastLeaderTerm = -1;
    private boolean lastWasLeader;
    private boolean any;

    /** True if {@code event} is to be delivered (and it is then counted as delivered). */
    public boolean accept(LeaderEvent event) {
        boolean deliver = event.hasLeader()
                ? event.term() > lastLeaderTerm && event.term() >= lastTerm
                : (!any || lastWasLeader) && event.term() >= lastTerm;
        if (deliver) {
            lastTerm = Math.max(lastTerm, event.term());
            lastWasLeader = event.hasLeader();
            if (lastWasLeader) {
                lastLeaderTerm = event.term();
            }
            any = true;
        }
        return deliver;
    }

    /** The highest term delivered, -1 before the first event. */
    public long lastTerm() {
        return lastTerm;
    }
}

package dev.baton.node.statemachine;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The last {@link #MAX_TERMS} leadership terms, oldest first, as committed: a term is recorded when
 * its leader's first entry ({@link Command.Noop}) is applied, its end when the old leader's
 * hand-over entry or the next leader's first entry is. Pure and deterministic; owned by the {@link
 * KvStateMachine} it belongs to (same thread, same lock).
 */
public final class LeadershipHistory {

    /** How many terms are kept: older ones are dropped as new ones are recorded. */
    public static final int MAX_TERMS = 1_000;

    /** Whose clock each figure comes from; served with the history. */
    public static final String CLOCK = "active_at_ms: epoch ms on the new leader's wall clock when it proposed its term's first"
            + " entry (if it had to wait for an approval or for maintenance to end: when that command was submitted, on the"
            + " wall clock of the node that submitted it); ended_at_ms: after a switchover or hand-over, the old leader's"
            + " wall clock when it submitted the hand-over entry, else the next leader's wall clock at its first entry minus"
            + " the time since it last heard from the old leader; gap_ms: on the new leader's monotonic clock, from the last"
            + " message it had from the old leader (if it led the term before itself: from the end of its own lease) to the"
            + " proposal of its first entry (an upper bound: the old leader may have stayed ACTIVE until its lease ran"
            + " out); null when not known";

    private final ArrayDeque<TermRecord> terms = new ArrayDeque<>();

    /** The term of {@code noop}'s leader begins (ignored for a term already recorded or older than the last). */
    void begin(Command.Noop noop) {
        TermRecord previous = terms.peekLast();
        if (previous != null && noop.term() <= previous.term()) {
            return; // a retried no-op, or an old-format hand-over marker
        }
        LeaderFacts f = noop.facts();
        TermCause cause = TermCauses.classify(previous, f);
        long gap = -1;
        if (previous != null) {
            boolean heard = f.proposedAtMs() >= 0 && f.heardFrom(previous.leader());
            if (heard) {
                gap = f.sinceHeardMs();
            }
            if (previous.endedAtMs() < 0 && heard) {
                replaceLast(previous.ended(f.proposedAtMs() - f.sinceHeardMs(), previous.endReason()));
            }
        }
        add(new TermRecord(noop.term(), noop.nodeId(), cause, f.proposedAtMs(), -1, gap,
                previous == null ? null : previous.leader(), null, f.awaitingApproval() && cause != TermCause.SWITCHOVER));
    }

    /** The leader of {@code term} hands over (at {@code atMs} on its wall clock, -1 if not stamped). */
    void handOver(long term, TermCause reason, long atMs) {
        TermRecord last = terms.peekLast();
        if (last != null && last.term() == term && last.endReason() == null) {
            replaceLast(last.ended(atMs, reason));
        }
    }

    /** The leader of {@code term} may become ACTIVE now: an operator approved it ({@link TermCause#PROMOTE}) or maintenance ended. */
    void activate(long term, TermCause how, long atMs) {
        TermRecord last = terms.peekLast();
        if (last != null && last.awaitingApproval() && (term < 0 || last.term() == term)) {
            replaceLast(last.activated(how, atMs));
        }
    }

    /** Up to {@code limit} of the newest terms, oldest first. */
    public List<TermRecord> newest(int limit) {
        List<TermRecord> out = new ArrayList<>(Math.min(limit, terms.size()));
        int skip = Math.max(0, terms.size() - limit);
        Iterator<TermRecord> it = terms.iterator();
        for (int i = 0; it.hasNext(); i++) {
            TermRecord r = it.next();
            if (i >= skip) {
                out.add(r);
            }
        }
        return out;
    }

    public int size() {
        return terms.size();
    }

    private void add(TermRecord r) {
        terms.addLast(r);
        while (terms.size() > MAX_TERMS) {
            terms.removeFirst();
        }
    }

    private void replaceLast(TermRecord r) {
        terms.removeLast();
        terms.addLast(r);
    }

    void clear() {
        terms.clear();
    }

    void writeTo(DataOutput out) throws IOException {
        out.writeInt(terms.size());
        for (TermRecord r : terms) {
            r.writeTo(out);
        }
    }

    void readFrom(DataInput in) throws IOException {
        terms.clear();
        int n = in.readInt();
        if (n < 0 || n > MAX_TERMS) {
            throw new IOException("corrupt history length " + n);
        }
        for (int i = 0; i < n; i++) {
            terms.addLast(TermRecord.readFrom(in));
        }
    }

    boolean sameAs(LeadershipHistory other) {
        return List.copyOf(terms).equals(List.copyOf(other.terms));
    }
}

package dev.baton.chaos;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Linearizability search for one key's history against a register with compare-and-set on
 * revisions: the Wing &amp; Gong / Lowe algorithm ("Testing for linearizability", 2017) over a
 * linked list of call and return events, with a cache of (set of linearized ops, state) pairs.
 * The set is identified by a 128-bit Zobrist hash, so a cache entry costs a few words whatever the
 * history's length. Pure, single-threaded.
 *
 * <p>State: the key's current value (every written value is unique), {@code null} = absent.
 * Revisions come from {@link #valueRevision} (bound by ok writes and reads); a value whose
 * revision was never observed has revision "unknown" ({@code -1}), which no compare-and-set
 * expects. Writes must raise the key's revision (checked when both revisions are known).
 *
 * <p>Ops marked optional (unknown outcome) may be linearized anywhere after their invocation, or
 * never. Required ops must be linearized between invocation and completion.
 */
final class RegisterSearch {

    /** The state "some value this window does not mention" (its revision is unknown). */
    static final String OTHER = "\u0000other";

    enum Verdict { LINEARIZABLE, NOT_LINEARIZABLE, BUDGET_EXHAUSTED }

    record Outcome(Verdict verdict, long statesExplored, Op stuckAt) {}

    private final Map<String, Long> valueRevision;
    private final Map<Long, String> revisionValue;

    RegisterSearch(Map<String, Long> valueRevision, Map<Long, String> revisionValue) {
        this.valueRevision = valueRevision;
        this.revisionValue = revisionValue;
    }

    /** The value bound to {@code revision}, or null (also for 0 = absent). */
    String valueAt(long revision) {
        return revisionValue.get(revision);
    }

    long revisionOf(String state) {
        if (state == null) {
            return 0;
        }
        if (state.equals(OTHER)) {
            return -1;
        }
        return valueRevision.getOrDefault(state, -1L);
    }

    /** Marks an op that cannot take effect in the given state (null is a valid state: absent). */
    private static final String NO = "\u0000no";

    /** The state after {@code op} takes effect in {@code state}, or {@link #NO}. */
    String step(Op op, String state) {
        switch (op.kind()) {
            case READ:
                return Objects.equals(state, op.readValue()) ? state : NO;
            case PUT:
                return raises(op, state) ? op.value() : NO;
            case CAS:
            default:
                long current = revisionOf(state);
                if (op.outcome() == Op.Outcome.FAIL) {
                    // a revision mismatch: the key's revision was op.revision(), not the expected one
                    if (current == op.expectedRevision()) {
                        return NO;
                    }
                    long reported = op.revision();
                    if (reported == 0) {
                        return state == null ? state : NO;
                    }
                    String bound = revisionValue.get(reported);
                    if (bound != null) {
                        return bound.equals(state) ? state : NO;
                    }
                    return state != null && current == -1 ? state : NO;
                }
                return current == op.expectedRevision() && raises(op, state) ? op.value() : NO;
        }
    }

    private boolean raises(Op write, String state) {
        long next = write.outcome() == Op.Outcome.OK ? write.revision() : valueRevision.getOrDefault(write.value(), -1L);
        long current = revisionOf(state);
        return next < 0 || current < 0 || next > current;
    }

    private static final class Entry {
        final int op;
        final boolean call;
        Entry match; // call -> its return (null if optional)
        Entry prev;
        Entry next;

        Entry(int op, boolean call) {
            this.op = op;
            this.call = call;
        }
    }

    private record Memo(long a, long b, String state) {}

    private record Frame(Entry call, String stateBefore) {}

    /**
     * @param ops the ops to check (irrelevant ones must already be removed)
     * @param optional parallel to ops: may be left out (unknown outcome / completion after the window)
     */
    Outcome run(List<Op> ops, boolean[] optional, String initial, long budget) {
        int n = ops.size();
        record Event(int op, boolean call, long time) {}
        List<Event> events = new ArrayList<>(2 * n);
        int required = 0;
        for (int i = 0; i < n; i++) {
            events.add(new Event(i, true, ops.get(i).invokeNanos()));
            if (!optional[i]) {
                events.add(new Event(i, false, ops.get(i).completeNanos()));
                required++;
            }
        }
        // calls before returns at equal times: treat touching intervals as concurrent
        events.sort(Comparator.comparingLong(Event::time).thenComparing(e -> !e.call()));
        Entry head = new Entry(-1, false);
        Entry tail = head;
        Entry[] calls = new Entry[n];
        for (Event e : events) {
            Entry entry = new Entry(e.op(), e.call());
            if (e.call()) {
                calls[e.op()] = entry;
            } else {
                calls[e.op()].match = entry;
            }
            tail.next = entry;
            entry.prev = tail;
            tail = entry;
        }
        SplittableRandom random = new SplittableRandom(0x5eed);
        long[] za = new long[n];
        long[] zb = new long[n];
        for (int i = 0; i < n; i++) {
            za[i] = random.nextLong();
            zb[i] = random.nextLong();
        }
        Set<Memo> seen = new HashSet<>();
        ArrayDeque<Frame> stack = new ArrayDeque<>();
        long a = 0;
        long b = 0;
        String state = initial;
        int remaining = required;
        int linearizedRequired = 0;
        int best = -1;
        Op stuck = null;
        Entry entry = head.next;
        while (remaining > 0) {
            if (entry == null) {
                throw new IllegalStateException("required ops left but no return event");
            }
            if (entry.call) {
                Op op = ops.get(entry.op);
                String after = step(op, state);
                if (after != NO && seen.add(new Memo(a ^ za[entry.op], b ^ zb[entry.op], after))) {
                    if (seen.size() > budget) {
                        return new Outcome(Verdict.BUDGET_EXHAUSTED, seen.size(), stuck);
                    }
                    stack.push(new Frame(entry, state));
                    state = after;
                    a ^= za[entry.op];
                    b ^= zb[entry.op];
                    lift(entry);
                    if (entry.match != null) {
                        remaining--;
                        linearizedRequired++;
                    }
                    entry = head.next;
                } else {
                    entry = entry.next;
                }
            } else {
                if (linearizedRequired > best) {
                    best = linearizedRequired;
                    stuck = ops.get(entry.op);
                }
                if (stack.isEmpty()) {
                    return new Outcome(Verdict.NOT_LINEARIZABLE, seen.size(), stuck);
                }
                Frame f = stack.pop();
                Entry call = f.call();
                state = f.stateBefore();
                a ^= za[call.op];
                b ^= zb[call.op];
                unlift(call);
                if (call.match != null) {
                    remaining++;
                    linearizedRequired--;
                }
                entry = call.next;
            }
        }
        return new Outcome(Verdict.LINEARIZABLE, seen.size(), null);
    }

    private static void lift(Entry call) {
        call.prev.next = call.next;
        if (call.next != null) {
            call.next.prev = call.prev;
        }
        Entry ret = call.match;
        if (ret != null) {
            ret.prev.next = ret.next;
            if (ret.next != null) {
                ret.next.prev = ret.prev;
            }
        }
    }

    private static void unlift(Entry call) {
        Entry ret = call.match;
        if (ret != null) {
            ret.prev.next = ret;
            if (ret.next != null) {
                ret.next.prev = ret;
            }
        }
        call.prev.next = call;
        if (call.next != null) {
            call.next.prev = call;
        }
    }
}

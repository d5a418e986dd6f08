package dev.baton.chaos;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The nodes' role transitions, parsed from their logs ({@code n2 became ACTIVE at term 3 (leader
 * n2, mono 1234567890)}; {@code mono} is {@link System#nanoTime()} at the transition, one clock for
 * every process on the machine), and the intervals in which each node was ACTIVE. Pure.
 *
 * <p>A node's log spans its restarts; the harness writes {@code === ... test harness starts} before
 * each start, which begins a new incarnation. An ACTIVE interval ends at the node's next logged
 * transition in the same incarnation (for a lease lost while stopped, the FENCED line carries the
 * lease's expiry), otherwise when that incarnation ended (kill -9: just before the signal was
 * sent; SIGTERM: when the exit was seen; still running: the end of the run).
 */
public final class RoleTimeline {

    private static final Pattern TRANSITION =
            Pattern.compile("(\\S+) became (\\w+) at term (\\d+) \\(leader (\\S+), mono (-?\\d+)\\)");
    private static final String INCARNATION_MARK = "test harness starts";

    public record Transition(String node, int incarnation, String role, long term, long mono) {}

    public record Interval(String node, long term, long start, long end, String endedBy) {
        boolean overlaps(Interval o) {
            return start < o.end && o.start < end;
        }

        @Override
        public String toString() {
            return node + " ACTIVE at term " + term + " [" + start + ", " + end + ") ended by " + endedBy;
        }
    }

    private RoleTimeline() {}

    /** Transitions of {@code node} in log order; incarnation 0 is the first start. */
    public static List<Transition> parse(String node, String log) {
        List<Transition> result = new ArrayList<>();
        int incarnation = -1;
        for (String line : log.split("\n")) {
            if (line.startsWith("===") && line.contains(INCARNATION_MARK)) {
                incarnation++;
                continue;
            }
            Matcher m = TRANSITION.matcher(line);
            if (m.find() && m.group(1).equals(node)) {
                result.add(new Transition(node, Math.max(incarnation, 0), m.group(2), Long.parseLong(m.group(3)),
                        Long.parseLong(m.group(5))));
            }
        }
        return result;
    }

    /**
     * ACTIVE intervals of all nodes, sorted by start.
     *
     * @param incarnationEnds per node, the end instant of each of its incarnations in order (missing
     *     entries: still running at {@code runEnd})
     */
    public static List<Interval> activeIntervals(
            Map<String, List<Transition>> transitions, Map<String, List<Long>> incarnationEnds, long runEnd) {
        List<Interval> intervals = new ArrayList<>();
        transitions.forEach((node, list) -> {
            List<Long> ends = incarnationEnds.getOrDefault(node, List.of());
            for (int i = 0; i < list.size(); i++) {
                Transition t = list.get(i);
                if (!t.role().equals("ACTIVE")) {
                    continue;
                }
                Transition next = i + 1 < list.size() ? list.get(i + 1) : null;
                long processEnd = t.incarnation() < ends.size() ? ends.get(t.incarnation()) : runEnd;
                if (next != null && next.incarnation() == t.incarnation()) {
                    long end = Math.min(Math.max(next.mono(), t.mono()), processEnd);
                    intervals.add(new Interval(node, t.term(), t.mono(), end,
                            end == processEnd && processEnd < next.mono() ? "process end" : next.role() + " at term " + next.term()));
                } else {
                    intervals.add(new Interval(node, t.term(), t.mono(), Math.max(processEnd, t.mono()),
                            t.incarnation() < ends.size() ? "process end" : "end of run"));
                }
            }
        });
        intervals.sort(Comparator.comparingLong(Interval::start));
        return intervals;
    }

    /**
     * Checker (3): ACTIVE intervals never overlap; terms never go back; and a term is a fencing
     * token of one node only: no two different nodes are ever ACTIVE in the same term. One node
     * may be ACTIVE several times in its own term: a leader whose lease lapsed (FENCED) is ACTIVE
     * again after a fresh quorum round, with the same token, and nobody else held it meanwhile.
     */
    public static List<Violation> checkSingleActive(List<Interval> intervals) {
        List<Violation> violations = new ArrayList<>();
        java.util.Map<Long, String> holderOfTerm = new java.util.HashMap<>();
        for (int i = 0; i < intervals.size(); i++) {
            Interval a = intervals.get(i);
            for (int j = i + 1; j < intervals.size() && intervals.get(j).start() < a.end(); j++) {
                Interval b = intervals.get(j);
                if (a.overlaps(b)) {
                    violations.add(new Violation("single-active", "two ACTIVE at once for "
                            + String.format("%.3f ms", (Math.min(a.end(), b.end()) - b.start()) / 1e6) + ": " + a.node()
                            + " (term " + a.term() + ") and " + b.node() + " (term " + b.term() + ")", a + "\n" + b));
                }
            }
            String holder = holderOfTerm.putIfAbsent(a.term(), a.node());
            if (holder != null && !holder.equals(a.node())) {
                violations.add(new Violation("single-active", "term " + a.term() + " was ACTIVE on two nodes: "
                        + holder + " and " + a.node(), a.toString()));
            }
            if (i > 0) {
                Interval prev = intervals.get(i - 1);
                if (a.term() < prev.term() || (a.term() == prev.term() && !a.node().equals(prev.node()))) {
                    violations.add(new Violation("single-active", "ACTIVE term " + a.term() + " of " + a.node()
                            + " does not follow the previous ACTIVE term " + prev.term() + " of " + prev.node(),
                            prev + "\n" + a));
                }
            }
        }
        return violations;
    }

    /**
     * The first instant at or after {@code from} at which some node is ACTIVE, or -1 if none by the
     * end of the intervals.
     */
    public static long firstActiveAtOrAfter(List<Interval> intervals, long from) {
        long best = -1;
        for (Interval iv : intervals) {
            if (iv.end() > from) {
                long t = Math.max(iv.start(), from);
                if (best < 0 || t < best) {
                    best = t;
                }
            }
        }
        return best;
    }

    /** The longest time within [from, to] when no node was ACTIVE, in nanoseconds. */
    public static long longestGap(List<Interval> intervals, long from, long to) {
        long covered = from;
        long worst = 0;
        for (Interval iv : intervals) { // sorted by start
            if (iv.start() > covered) {
                worst = Math.max(worst, Math.min(iv.start(), to) - covered);
            }
            covered = Math.max(covered, iv.end());
            if (covered >= to) {
                break;
            }
        }
        if (covered < to) {
            worst = Math.max(worst, to - covered);
        }
        return worst;
    }
}

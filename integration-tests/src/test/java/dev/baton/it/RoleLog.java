package dev.baton.it;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one parser of the nodes' role logs, and the ACTIVE intervals they imply; used by the
 * integration tests, the chaos checkers and the benchmarks. Pure functions over strings; no I/O.
 *
 * <p>{@code RoleTracker} logs {@code n2 became ACTIVE at term 3 (leader n2, mono 123)} for a change
 * of role or term; {@code mono} is {@code System.nanoTime()} of the transition, on Linux
 * CLOCK_MONOTONIC, one clock for every process on the machine, so intervals of different nodes (and
 * instants taken by the test JVM) compare directly. It logs {@code n2 now follows leader n3 at term
 * 3} for a change of leader alone: no role change and no time, so such lines are skipped.
 *
 * <p>A node's log file spans its restarts: {@link NodeProcess#start()} writes {@code === <instant>
 * test harness starts n2: ...} before each start, which begins a new <em>incarnation</em>. A dead
 * process logs nothing, so an ACTIVE interval ends at the earliest of:
 * <ol>
 *   <li>the next transition of the same incarnation (after a pause, the node stamps the end of its
 *       ACTIVE with the lease's expiry, not with the instant it noticed);
 *   <li>the first recorded end of the node's process at or after the interval's start ({@code
 *       processEnds}: the caller's {@code System.nanoTime()} once it saw the process gone, after
 *       kill -9 or SIGTERM, or when it found it dead);
 *   <li>the first transition of a later incarnation: the old process was dead before the new one
 *       started (the harness never starts a live node), an upper bound when no end was recorded;
 *   <li>{@code endOfRun}.
 * </ol>
 * Every bound but (1) may be late, never early: the intervals may be longer than the truth, so a
 * reported overlap may be a false alarm, but an overlap is never hidden.
 */
public final class RoleLog {

    private static final Pattern BECAME =
            Pattern.compile("(\\S+) became ([A-Z_]+) at term (\\d+) \\(leader (\\S+), mono (-?\\d+)\\)");
    /** Written by {@link NodeProcess#start()} before each start of the node. */
    static final String INCARNATION_MARK = " test harness starts ";

    private RoleLog() {}

    /** One logged transition; {@code incarnation} 0 is the first start of the node's process. */
    public record Transition(String node, int incarnation, String role, long term, String leader, long mono) {}

    /** One ACTIVE interval [start, end) of one node; {@code endedBy} says which bound ended it. */
    public record Interval(String node, int incarnation, long term, long start, long end, String endedBy) {
        public boolean overlaps(Interval o) {
            return start < o.end && o.start < end;
        }

        @Override
        public String toString() {
            return node + " ACTIVE at term " + term + " [" + start + ", " + end + ") ended by " + endedBy;
        }
    }

    /** Two ACTIVE intervals of different nodes that intersect: split brain. */
    public record Overlap(Interval a, Interval b) {
        public long nanos() {
            return Math.min(a.end, b.end) - Math.max(a.start, b.start);
        }
    }

    /** The transitions {@code node} logged in {@code log}, in file order. Lines of other nodes are ignored. */
    public static List<Transition> parse(String node, String log) {
        List<Transition> out = new ArrayList<>();
        int incarnation = 0;
        boolean started = false;
        for (String line : log.split("\n")) {
            if (line.startsWith("===") && line.contains(INCARNATION_MARK)) {
                incarnation += started ? 1 : 0;
                started = true;
                continue;
            }
            Matcher m = BECAME.matcher(line);
            if (m.find() && m.group(1).equals(node)) {
                out.add(new Transition(node, incarnation, m.group(2), Long.parseLong(m.group(3)), m.group(4),
                        Long.parseLong(m.group(5))));
            }
        }
        return out;
    }

    /** ACTIVE intervals of one node, from its transitions in log order; {@code processEnds} in any order. */
    public static List<Interval> activeIntervals(List<Transition> transitions, List<Long> processEnds, long endOfRun) {
        List<Interval> out = new ArrayList<>();
        for (int i = 0; i < transitions.size(); i++) {
            Transition t = transitions.get(i);
            if (!"ACTIVE".equals(t.role())) {
                continue;
            }
            long end = endOfRun;
            String endedBy = "end of run";
            Transition next = i + 1 < transitions.size() ? transitions.get(i + 1) : null;
            if (next != null && next.incarnation() == t.incarnation() && next.mono() < end) {
                end = next.mono();
                endedBy = next.role() + " at term " + next.term();
            }
            for (long dead : processEnds) {
                if (dead >= t.mono() && dead < end) {
                    end = dead;
                    endedBy = "process end";
                }
            }
            Transition later = firstOfLaterIncarnation(transitions, i);
            if (later != null && later.mono() < end) {
                end = later.mono();
                endedBy = "restart (process end not recorded; bounded by the next incarnation's first transition)";
            }
            out.add(new Interval(t.node(), t.incarnation(), t.term(), t.mono(), Math.max(end, t.mono()), endedBy));
        }
        return out;
    }

    /**
     * Every ACTIVE interval of every node, sorted by start; {@code logs} (whole log files) and
     * {@code processEnds} are keyed by node id.
     */
    public static List<Interval> activeIntervals(
            Map<String, String> logs, Map<String, List<Long>> processEnds, long endOfRun) {
        List<Interval> all = new ArrayList<>();
        logs.forEach((node, log) ->
                all.addAll(activeIntervals(parse(node, log), processEnds.getOrDefault(node, List.of()), endOfRun)));
        all.sort(Comparator.comparingLong(Interval::start));
        return all;
    }

    /** Pairs of intersecting ACTIVE intervals of different nodes. */
    public static List<Overlap> overlaps(List<Interval> intervals) {
        List<Overlap> out = new ArrayList<>();
        for (int i = 0; i < intervals.size(); i++) {
            for (int j = i + 1; j < intervals.size(); j++) {
                Interval a = intervals.get(i);
                Interval b = intervals.get(j);
                if (!a.node().equals(b.node()) && a.overlaps(b)) {
                    out.add(new Overlap(a, b));
                }
            }
        }
        return out;
    }

    /** The first instant at or after {@code from} at which some node is ACTIVE, or -1 if none. */
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

    /** The longest time within [from, to] when no node was ACTIVE, in nanoseconds; intervals sorted by start. */
    public static long longestGap(List<Interval> intervals, long from, long to) {
        long covered = from;
        long worst = 0;
        for (Interval iv : intervals) {
            if (iv.start() > covered) {
                worst = Math.max(worst, Math.min(iv.start(), to) - covered);
            }
            covered = Math.max(covered, iv.end());
            if (covered >= to) {
                break;
            }
        }
        return Math.max(worst, to - covered);
    }

    private static Transition firstOfLaterIncarnation(List<Transition> transitions, int i) {
        int incarnation = transitions.get(i).incarnation();
        for (int j = i + 1; j < transitions.size(); j++) {
            if (transitions.get(j).incarnation() > incarnation) {
                return transitions.get(j);
            }
        }
        return null;
    }
}

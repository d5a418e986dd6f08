package dev.baton.it;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Role transitions read from node logs ({@code n2 became ACTIVE at term 3 (leader n2, mono 123)}),
 * and the ACTIVE intervals they imply. {@code mono} is {@code System.nanoTime()} of the transition;
 * on one Linux machine that is CLOCK_MONOTONIC, shared by every process, so intervals of different
 * nodes (and times taken by the test JVM) compare directly.
 *
 * <p>An ACTIVE interval of a node runs from its {@code became ACTIVE} to its next transition, or to
 * the end of its process (a kill time the caller supplies), or to the end of the observation.
 * Pure functions over strings; no I/O.
 */
public final class RoleLog {

    private static final Pattern BECAME =
            Pattern.compile("(\\S+) became ([A-Z_]+) at term (\\d+) \\(leader (\\S+), mono (-?\\d+)\\)");

    private RoleLog() {}

    public record Transition(String node, String role, long term, String leader, long mono) {}

    public record Interval(String node, long term, long start, long end) {
        public boolean overlaps(Interval o) {
            return start < o.end && o.start < end;
        }
    }

    /** Two ACTIVE intervals of different nodes that intersect: split brain. */
    public record Overlap(Interval a, Interval b) {
        public long nanos() {
            return Math.min(a.end, b.end) - Math.max(a.start, b.start);
        }
    }

    /** The transitions logged in {@code log} (file order), attributed to {@code node}. */
    public static List<Transition> parse(String node, String log) {
        List<Transition> out = new ArrayList<>();
        Matcher m = BECAME.matcher(log);
        while (m.find()) {
            out.add(new Transition(node, m.group(2), Long.parseLong(m.group(3)), m.group(4), Long.parseLong(m.group(5))));
        }
        return out;
    }

    /**
     * ACTIVE intervals of one node. {@code processEnds}: mono times at which the node's process was
     * known dead (kill -9, exit after SIGTERM), in any order; {@code endOfRun} closes what is open.
     */
    public static List<Interval> activeIntervals(List<Transition> transitions, List<Long> processEnds, long endOfRun) {
        List<Interval> out = new ArrayList<>();
        for (int i = 0; i < transitions.size(); i++) {
            Transition t = transitions.get(i);
            if (!"ACTIVE".equals(t.role())) {
                continue;
            }
            long end = endOfRun;
            if (i + 1 < transitions.size()) {
                end = Math.min(end, transitions.get(i + 1).mono());
            }
            for (long dead : processEnds) {
                if (dead >= t.mono()) {
                    end = Math.min(end, dead);
                }
            }
            out.add(new Interval(t.node(), t.term(), t.mono(), Math.max(end, t.mono())));
        }
        return out;
    }

    /** Every ACTIVE interval of every node; {@code logs} and {@code processEnds} are keyed by node id. */
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
}

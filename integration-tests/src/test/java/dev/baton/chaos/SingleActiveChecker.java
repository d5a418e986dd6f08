package dev.baton.chaos;

import dev.baton.it.RoleLog;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Checker (3): never two ACTIVE nodes at once, over the ACTIVE intervals of the role logs ({@link
 * RoleLog}, whose interval ends are never early). Pure.
 */
public final class SingleActiveChecker {

    private SingleActiveChecker() {}

    /**
     * ACTIVE intervals of different nodes never overlap; terms never go back; and a term is a
     * fencing token of one node only: no two different nodes are ever ACTIVE in the same term. One
     * node may be ACTIVE several times in its own term: a leader whose lease lapsed (FENCED) is
     * ACTIVE again after a fresh quorum round, with the same token, and nobody else held it meanwhile.
     *
     * @param intervals sorted by start, as {@link RoleLog#activeIntervals(Map, Map, long)} returns them
     */
    public static List<Violation> check(List<RoleLog.Interval> intervals) {
        List<Violation> violations = new ArrayList<>();
        for (RoleLog.Overlap o : RoleLog.overlaps(intervals)) {
            violations.add(new Violation("single-active", "two ACTIVE at once for " + String.format("%.3f ms", o.nanos() / 1e6)
                    + ": " + o.a().node() + " (term " + o.a().term() + ") and " + o.b().node() + " (term " + o.b().term() + ")",
                    o.a() + "\n" + o.b()));
        }
        Map<Long, String> holderOfTerm = new HashMap<>();
        for (int i = 0; i < intervals.size(); i++) {
            RoleLog.Interval a = intervals.get(i);
            String holder = holderOfTerm.putIfAbsent(a.term(), a.node());
            if (holder != null && !holder.equals(a.node())) {
                violations.add(new Violation("single-active", "term " + a.term() + " was ACTIVE on two nodes: "
                        + holder + " and " + a.node(), a.toString()));
            }
            if (i > 0) {
                RoleLog.Interval prev = intervals.get(i - 1);
                if (a.term() < prev.term() || (a.term() == prev.term() && !a.node().equals(prev.node()))) {
                    violations.add(new Violation("single-active", "ACTIVE term " + a.term() + " of " + a.node()
                            + " does not follow the previous ACTIVE term " + prev.term() + " of " + prev.node(),
                            prev + "\n" + a));
                }
            }
        }
        return violations;
    }
}

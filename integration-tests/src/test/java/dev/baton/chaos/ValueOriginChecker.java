package dev.baton.chaos;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Checker: no damaged value is ever served. Every value a node answered for a key (the workload's
 * linearizable reads, stale reads of single nodes, the final reads) must be one a client wrote to
 * that key, by a write not known to have failed. The linearizability checker would also reject a
 * value nobody wrote, but only as an unexplained search failure (or a spent search budget); this
 * names the read and the node. Pure.
 */
public final class ValueOriginChecker {

    /** A value a node answered outside the workload's history; {@code where} says who and how ("n2, stale read during fault 4"). */
    public record Served(String key, String value, String where) {}

    private ValueOriginChecker() {}

    public static List<Violation> check(List<Op> history, List<Served> alsoServed) {
        Map<String, Op> writes = new HashMap<>(); // key + '\0' + value -> its write (values are unique per key)
        for (Op op : history) {
            if (op.isWrite()) {
                writes.merge(op.key() + '\0' + op.value(), op, (a, b) -> a.outcome() == Op.Outcome.FAIL ? b : a);
            }
        }
        List<Served> served = new ArrayList<>();
        for (Op op : history) {
            if (op.kind() == Op.Kind.READ && op.outcome() == Op.Outcome.OK && op.readValue() != null) {
                served.add(new Served(op.key(), op.readValue(), "read " + op));
            }
        }
        served.addAll(alsoServed);
        List<Violation> violations = new ArrayList<>();
        for (Served s : served) {
            if (s.value() == null) {
                continue;
            }
            Op writer = writes.get(s.key() + '\0' + s.value());
            if (writer == null) {
                violations.add(new Violation("corrupt-value", "key " + s.key() + ": value " + abbreviate(s.value())
                        + " was served but no client wrote it", s.where()));
            } else if (writer.outcome() == Op.Outcome.FAIL) {
                violations.add(new Violation("corrupt-value", "key " + s.key() + ": value " + abbreviate(s.value())
                        + " was served but its write was reported as not applied", s.where() + "\nwrite: " + writer));
            }
        }
        return violations;
    }

    private static String abbreviate(String v) {
        return v.length() <= 60 ? "'" + v + "'" : "'" + v.substring(0, 60) + "...' (" + v.length() + " chars)";
    }
}

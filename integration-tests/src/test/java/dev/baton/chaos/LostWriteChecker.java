package dev.baton.chaos;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Checker (2): no acknowledged write is lost. After the run (faults healed), the final state of
 * each key, read linearizably, must hold the last acknowledged write or a successor of it: a value
 * some client wrote (acknowledged or of unknown outcome) whose revision is at least that of every
 * acknowledged write of the key. A key with an acknowledged write must exist. Pure.
 */
public final class LostWriteChecker {

    /** The final linearizable read of one key: {@code value} null = absent. */
    public record FinalRead(String key, String value, long revision) {}

    private LostWriteChecker() {}

    public static List<Violation> check(List<Op> history, List<FinalRead> finals) {
        Map<String, FinalRead> finalByKey = new HashMap<>();
        finals.forEach(f -> finalByKey.put(f.key(), f));
        Map<String, Op> lastAcked = new HashMap<>();
        Map<String, Op> writerOf = new HashMap<>(); // key + '\0' + value -> the write
        for (Op op : history) {
            if (!op.isWrite()) {
                continue;
            }
            if (op.outcome() != Op.Outcome.FAIL) {
                writerOf.put(op.key() + '\0' + op.value(), op);
            }
            if (op.outcome() == Op.Outcome.OK) {
                lastAcked.merge(op.key(), op, (a, b) -> a.revision() >= b.revision() ? a : b);
            }
        }
        List<Violation> violations = new ArrayList<>();
        lastAcked.forEach((key, acked) -> {
            FinalRead f = finalByKey.get(key);
            if (f == null) {
                violations.add(new Violation("lost-write", "key " + key + " was not read at the end", acked.toString()));
                return;
            }
            if (f.value() == null) {
                violations.add(new Violation("lost-write", "key " + key + " is absent at the end, but this write was acknowledged",
                        acked.toString()));
                return;
            }
            Op writer = writerOf.get(key + '\0' + f.value());
            if (writer == null) {
                violations.add(new Violation("lost-write", "key " + key + " ends with value " + f.value() + " (revision "
                        + f.revision() + ") that no client wrote", "last acknowledged: " + acked));
            } else if (f.revision() < acked.revision() || (f.revision() == acked.revision() && writer != acked)) {
                violations.add(new Violation("lost-write", "key " + key + " ends with " + f.value() + " at revision "
                        + f.revision() + ", older than an acknowledged write", "acknowledged: " + acked + "\nfinal value written by: "
                                + writer));
            } else if (writer.outcome() == Op.Outcome.OK && writer.revision() != f.revision()) {
                violations.add(new Violation("lost-write", "key " + key + " ends with " + f.value() + " at revision "
                        + f.revision() + " but that write was acknowledged with revision " + writer.revision(), writer.toString()));
            }
        });
        return violations;
    }
}

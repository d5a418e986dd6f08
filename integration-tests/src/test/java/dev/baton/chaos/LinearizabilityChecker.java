package dev.baton.chaos;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Checker (1): each key's history is linearizable as a register with compare-and-set on revisions
 * (keys are independent, so checking them one by one is enough — Herlihy &amp; Wing's locality).
 * Also checks that revisions are consistent: one value, one revision, and vice versa.
 *
 * <p>On failure it reports the smallest failing window it can find: first the shortest failing
 * prefix of the history (ops completing after its end count as unknown), then the latest start
 * such that the ops invoked in [start, end] fail from every possible initial state (ops invoked
 * before the start that overlap it count as unknown). Pure.
 */
public final class LinearizabilityChecker {

    /** Default bound on the search: cached configurations per key. */
    public static final long DEFAULT_BUDGET = 3_000_000;

    private static final int MAX_WINDOW_OPS = 200;
    /** Bound of each search made while narrowing down a failure (a prefix over it counts as failing). */
    private static final long WINDOW_BUDGET = 300_000;

    /** What the check of one key did. */
    public record KeyResult(String key, int ops, RegisterSearch.Verdict verdict, long statesExplored) {}

    private final long budget;
    private final List<KeyResult> results = new ArrayList<>();

    public LinearizabilityChecker(long budget) {
        this.budget = budget;
    }

    public LinearizabilityChecker() {
        this(DEFAULT_BUDGET);
    }

    public List<KeyResult> results() {
        return results;
    }

    /** Keys whose search ran out of budget (neither proven nor refuted). */
    public List<String> inconclusiveKeys() {
        return results.stream().filter(r -> r.verdict() == RegisterSearch.Verdict.BUDGET_EXHAUSTED).map(KeyResult::key).toList();
    }

    public List<Violation> check(List<Op> history) {
        Map<String, List<Op>> byKey = history.stream()
                .filter(op -> !op.irrelevant())
                .collect(Collectors.groupingBy(Op::key, TreeMap::new, Collectors.toList()));
        List<Violation> violations = new ArrayList<>();
        byKey.forEach((key, ops) -> violations.addAll(checkKey(key, ops)));
        return violations;
    }

    private List<Violation> checkKey(String key, List<Op> ops) {
        List<Violation> violations = new ArrayList<>();
        Map<String, Long> valueRevision = new HashMap<>();
        Map<Long, String> revisionValue = new HashMap<>();
        for (Op op : ops) {
            String value = null;
            long revision = -1;
            if (op.outcome() == Op.Outcome.OK && op.isWrite()) {
                value = op.value();
                revision = op.revision();
            } else if (op.outcome() == Op.Outcome.OK && op.readValue() != null) {
                value = op.readValue();
                revision = op.revision();
            }
            if (value == null) {
                continue;
            }
            Long had = valueRevision.putIfAbsent(value, revision);
            String other = revisionValue.putIfAbsent(revision, value);
            if ((had != null && had != revision) || (other != null && !other.equals(value))) {
                violations.add(new Violation("linearizability", "key " + key + ": value " + value + " seen with revision "
                        + revision + " but " + (had != null && had != revision ? "it had revision " + had
                                : "revision " + revision + " belongs to value " + other), op.toString()));
            }
        }
        RegisterSearch search = new RegisterSearch(valueRevision, revisionValue);
        List<Op> sorted = new ArrayList<>(withoutUnobservedUnknownWrites(ops, valueRevision, revisionValue));
        sorted.sort(Comparator.comparingLong(Op::invokeNanos));
        RegisterSearch.Outcome outcome = search.run(sorted, optionalFlags(sorted, Long.MAX_VALUE), null, budget);
        results.add(new KeyResult(key, sorted.size(), outcome.verdict(), outcome.statesExplored()));
        if (outcome.verdict() == RegisterSearch.Verdict.BUDGET_EXHAUSTED) {
            // a linearizable history is found in about one step per op; running out of budget almost
            // always means an exhaustive search for a linearization that does not exist
            violations.add(new Violation("linearizability", "key " + key + ": search bound of " + budget
                    + " configurations exceeded (" + sorted.size() + " ops): probably not linearizable; deepest point "
                    + outcome.stuckAt(), describeWindow(search, sorted)));
        }
        if (outcome.verdict() == RegisterSearch.Verdict.NOT_LINEARIZABLE) {
            violations.add(new Violation("linearizability", "key " + key + " is not linearizable ("
                    + sorted.size() + " ops; search stuck at " + outcome.stuckAt() + ")", describeWindow(search, sorted)));
        }
        return violations;
    }

    /**
     * Leaves out writes of unknown outcome whose value nobody observed, which would otherwise make
     * the search explode (each may be linearized anywhere, or never: the configurations double with
     * each). Sound: once such a write took effect, no read, no successful CAS (it expects an
     * observed revision) and no CAS mismatch that reports a known revision can follow it until a
     * put overwrites it, so a linearization with it gives one without it. Kept when it may be the
     * write behind a CAS mismatch that reports the revision r of an unobserved value: the mismatch
     * completed after the write's invocation, and r exceeds every revision seen complete before
     * that invocation (revisions grow in real time).
     */
    private static List<Op> withoutUnobservedUnknownWrites(
            List<Op> ops, Map<String, Long> valueRevision, Map<Long, String> revisionValue) {
        List<Op> unexplained = ops.stream()
                .filter(op -> op.kind() == Op.Kind.CAS && op.outcome() == Op.Outcome.FAIL && op.revision() > 0
                        && !revisionValue.containsKey(op.revision()))
                .toList();
        List<Op> known = ops.stream()
                .filter(op -> op.outcome() == Op.Outcome.OK && op.revision() > 0)
                .sorted(java.util.Comparator.comparingLong(Op::completeNanos))
                .toList();
        return ops.stream()
                .filter(op -> !(op.isWrite() && op.outcome() == Op.Outcome.UNKNOWN && !valueRevision.containsKey(op.value()))
                        || mayExplain(op, unexplained, known))
                .toList();
    }

    private static boolean mayExplain(Op write, List<Op> unexplained, List<Op> knownByCompletion) {
        long floor = 0;
        for (Op k : knownByCompletion) {
            if (k.completeNanos() >= write.invokeNanos()) {
                break;
            }
            floor = Math.max(floor, k.revision());
        }
        for (Op f : unexplained) {
            if (f.completeNanos() > write.invokeNanos() && f.revision() > floor) {
                return true;
            }
        }
        return false;
    }

    private static boolean[] optionalFlags(List<Op> ops, long end) {
        boolean[] optional = new boolean[ops.size()];
        for (int i = 0; i < ops.size(); i++) {
            Op op = ops.get(i);
            optional[i] = !op.required() || op.completeNanos() > end;
        }
        return optional;
    }

    /** The prefix of ops (sorted by invocation) invoked by {@code end}, minus reads that complete after it. */
    private static List<Op> prefix(List<Op> sorted, long end) {
        List<Op> result = new ArrayList<>();
        for (Op op : sorted) {
            if (op.invokeNanos() > end) {
                break;
            }
            if (op.completeNanos() > end && !op.isWrite()) {
                continue;
            }
            if (op.completeNanos() > end && op.kind() == Op.Kind.CAS && op.outcome() == Op.Outcome.FAIL) {
                continue;
            }
            result.add(op);
        }
        return result;
    }

    private String describeWindow(RegisterSearch search, List<Op> sorted) {
        // 1. shortest failing prefix (failure is monotone in the prefix's end)
        long[] ends = sorted.stream().filter(Op::required).mapToLong(Op::completeNanos).sorted().distinct().toArray();
        int lo = 0;
        int hi = ends.length - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            List<Op> p = prefix(sorted, ends[mid]);
            if (search.run(p, optionalFlags(p, ends[mid]), null, WINDOW_BUDGET).verdict() != RegisterSearch.Verdict.LINEARIZABLE) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        long end = ends[lo];
        List<Op> p = prefix(sorted, end);
        // 2. latest start whose window fails from every initial state: doubling, then bisection
        //    (failure is close to monotone in the window's size; the window found fails in any case)
        int fail = -1;
        int pass = 0;
        for (int k = 1; k <= Math.min(MAX_WINDOW_OPS, p.size()); k = Math.min(k * 2, Math.min(MAX_WINDOW_OPS, p.size()))) {
            if (windowFails(search, p, end, k)) {
                fail = k;
                break;
            }
            pass = k;
            if (k == Math.min(MAX_WINDOW_OPS, p.size())) {
                break;
            }
        }
        if (fail > 0) {
            while (fail - pass > 1) {
                int mid = (fail + pass) >>> 1;
                if (windowFails(search, p, end, mid)) {
                    fail = mid;
                } else {
                    pass = mid;
                }
            }
            Window w = window(search, p, end, fail);
            return "smallest failing window (" + w.ops().size() + " ops; ends at the completion of the op that cannot be"
                    + " linearized; ops marked ~ are optional):\n" + render(w.ops(), w.optional());
        }
        List<Op> tail = p.subList(Math.max(0, p.size() - 40), p.size());
        return "shortest failing prefix ends at " + end + " (" + p.size() + " ops; no self-contained window of <= "
                + MAX_WINDOW_OPS + " ops); its last " + tail.size() + " ops:\n" + render(tail, optionalFlags(tail, end));
    }

    private record Window(List<Op> ops, boolean[] optional) {}

    /**
     * The ops of prefix {@code p} (ending at {@code end}) invoked at or after the {@code k}-th last
     * invocation, plus, as optional, the writes invoked before that overlap it (they may have taken
     * effect before or inside the window).
     */
    private Window window(RegisterSearch search, List<Op> p, long end, int k) {
        long start = p.get(p.size() - k).invokeNanos();
        // values the window observes; an earlier write of another value that takes effect inside the
        // window cannot be observed by it, so only matters to a mismatch reporting an unknown value
        Set<String> mentioned = new java.util.HashSet<>();
        boolean unexplained = false;
        for (Op op : p) {
            if (op.invokeNanos() >= start) {
                mentioned.add(op.readValue());
                if (op.kind() == Op.Kind.CAS) {
                    mentioned.add(search.valueAt(op.expectedRevision()));
                    if (op.outcome() == Op.Outcome.FAIL) {
                        unexplained |= op.revision() > 0 && search.valueAt(op.revision()) == null;
                        mentioned.add(search.valueAt(op.revision()));
                    }
                }
            }
        }
        List<Op> ops = new ArrayList<>();
        List<Boolean> opt = new ArrayList<>();
        for (Op op : p) {
            boolean overlaps = op.completeNanos() >= start || op.outcome() == Op.Outcome.UNKNOWN;
            if (op.invokeNanos() >= start) {
                ops.add(op);
                opt.add(!op.required() || op.completeNanos() > end);
            } else if (overlaps && op.isWrite() && op.outcome() != Op.Outcome.FAIL
                    && (unexplained || mentioned.contains(op.value()))) {
                ops.add(op);
                opt.add(true);
            }
        }
        boolean[] optional = new boolean[opt.size()];
        for (int i = 0; i < optional.length; i++) {
            optional[i] = opt.get(i);
        }
        return new Window(ops, optional);
    }

    private boolean windowFails(RegisterSearch search, List<Op> p, long end, int k) {
        Window w = window(search, p, end, k);
        return failsFromEveryState(search, w.ops(), w.optional());
    }

    /**
     * Initial states worth trying: absent, "a value the window does not mention", and the values the
     * window observes (reads, revisions a CAS expects or reports). A value only written in the window
     * behaves like the unmentioned one, whose revision is treated as unknown (more permissive).
     */
    private boolean failsFromEveryState(RegisterSearch search, List<Op> window, boolean[] optional) {
        Set<String> initials = new LinkedHashSet<>();
        initials.add(null);
        initials.add(RegisterSearch.OTHER);
        for (Op op : window) {
            if (op.readValue() != null) {
                initials.add(op.readValue());
            }
            if (op.kind() == Op.Kind.CAS) {
                String expected = search.valueAt(op.expectedRevision());
                if (expected != null) {
                    initials.add(expected);
                }
                String reported = op.outcome() == Op.Outcome.FAIL ? search.valueAt(op.revision()) : null;
                if (reported != null) {
                    initials.add(reported);
                }
            }
        }
        for (String initial : initials) {
            if (search.run(window, optional, initial, WINDOW_BUDGET).verdict() != RegisterSearch.Verdict.NOT_LINEARIZABLE) {
                return false;
            }
        }
        return true;
    }

    private static String render(List<Op> ops, boolean[] optional) {
        StringBuilder sb = new StringBuilder();
        long t0 = ops.stream().mapToLong(Op::invokeNanos).min().orElse(0);
        for (int i = 0; i < ops.size(); i++) {
            Op op = ops.get(i);
            sb.append(optional[i] ? "~ " : "  ").append(op)
                    .append(String.format("  (+%.3f ms .. %s)%n", (op.invokeNanos() - t0) / 1e6,
                            op.outcome() == Op.Outcome.UNKNOWN ? "?" : String.format("+%.3f ms", (op.completeNanos() - t0) / 1e6)));
        }
        return sb.toString();
    }
}

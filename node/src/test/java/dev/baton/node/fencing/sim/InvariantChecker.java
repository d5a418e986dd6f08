package dev.baton.node.fencing.sim;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;

/**
 * Checks the invariants after every action of the scheduler, at the true time it ran. Between two
 * actions nothing can become ACTIVE or start a lease (a role or lease changes only when its node
 * handles an input), and leases only run out, so a check after each action sees every instant.
 *
 * <ol>
 *   <li><b>One ACTIVE</b>: never two nodes ACTIVE at once, a node being ACTIVE when its RoleTracker
 *       says ACTIVE for term T and its lease of T holds on its own clock ({@code
 *       RaftConsensus.view()}); a paused process counts (it acts the instant it resumes).
 *   <li><b>A lease never outlives the promises behind it</b>: while a live (not crashed) node's
 *       lease of term T holds on its own clock, no other node has been elected leader of a term
 *       above T (the node itself may be: it acts in one term at a time).
 *       This is the core's contract (Raft dissertation §6.4.1): a successor needs the vote of a
 *       member of the majority that acknowledged the lease, and those hold their votes back until
 *       it ran out. It is stronger than (1): it holds however late the deposed leader learns of
 *       the new term and whenever the successor becomes ACTIVE.
 *   <li><b>Legal role transitions</b>: no RoleTracker counted an illegal transition.
 *   <li><b>Liveness</b>: once the last fault healed (all processes up, the network whole), exactly
 *       one node is ACTIVE within {@link SimConfig#livenessBoundNanos()}.
 * </ol>
 *
 * <p>The first violation of each {@link Kind} is kept and the run goes on, so that a test can see
 * that (1) catches what (2) saw coming.
 */
final class InvariantChecker {

    /** The invariants, in the order above. */
    enum Kind { TWO_ACTIVE, LEASE_OUTLIVED_PROMISE, ILLEGAL_TRANSITION, NO_ACTIVE, RAFT_MODEL }

    private final SimNode[] nodes;
    private final long boundNanos;
    private final long[] highestWon; // by node: the highest term it was elected leader of
    private final long[] highestWonAt;
    private final Map<Kind, String> violations = new EnumMap<>(Kind.class);
    private String first;
    private long healedAt = Long.MAX_VALUE;
    private long recoveredAt = -1;

    InvariantChecker(SimNode[] nodes, long boundNanos) {
        this.nodes = nodes;
        this.boundNanos = boundNanos;
        this.highestWon = new long[nodes.length];
        this.highestWonAt = new long[nodes.length];
        Arrays.fill(highestWon, -1);
    }

    void healedAt(long trueNanos) {
        healedAt = trueNanos;
    }

    void elected(int node, long term, long now) {
        if (term > highestWon[node]) {
            highestWon[node] = term;
            highestWonAt[node] = now;
        }
    }

    void afterAction(long now) {
        SimNode active = null;
        for (SimNode n : nodes) {
            if (!n.activeAt(now)) {
                continue;
            }
            if (active != null) {
                report(Kind.TWO_ACTIVE, "two ACTIVE at once: " + active.describe() + " and " + n.describe() + " at " + ms(now));
            }
            active = n;
        }
        for (int i = 0; i < nodes.length; i++) {
            SimNode n = nodes[i];
            long leaseTerm = n.leaseTermAt(now);
            for (int other = 0; leaseTerm >= 0 && other < nodes.length; other++) {
                if (other != i && highestWon[other] > leaseTerm) {
                    report(Kind.LEASE_OUTLIVED_PROMISE, "lease outlived promise: " + n.describe() + " holds its lease of term "
                            + leaseTerm + " at " + ms(now) + ", but " + nodes[other].id() + " was elected leader of term "
                            + highestWon[other] + " at " + ms(highestWonAt[other]));
                }
            }
            if (n.illegalTransitions() > 0) {
                report(Kind.ILLEGAL_TRANSITION, "illegal role transition on " + n.describe() + " (see RoleTransitions)");
            }
        }
        if (active != null && recoveredAt < 0 && now >= healedAt) {
            recoveredAt = now;
        }
    }

    /** At the end of the run (healedAt + bound). */
    void finish() {
        if (recoveredAt < 0) {
            report(Kind.NO_ACTIVE, "no ACTIVE within " + ms(boundNanos) + " after the last fault healed at " + ms(healedAt));
        }
    }

    void modelViolation(String message) {
        report(Kind.RAFT_MODEL, message);
    }

    private void report(Kind kind, String message) {
        if (violations.putIfAbsent(kind, message) == null && first == null) {
            first = message;
        }
    }

    /** The first violation, or null. */
    String violation() {
        return first;
    }

    /** The first violation of each kind seen so far. */
    Map<Kind, String> violations() {
        return violations;
    }

    long recoveryNanos() {
        return recoveredAt < 0 ? -1 : recoveredAt - healedAt;
    }

    static String ms(long nanos) {
        return String.format("%.3f ms", nanos / 1e6);
    }
}

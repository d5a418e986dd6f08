package dev.baton.node.fencing.sim;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one schedule did.
 *
 * @param seed the seed that makes it (with its {@link SimConfig})
 * @param violation the first invariant broken, named, or null
 * @param violations the first violation of each kind of invariant broken in the run
 * @param events how many scheduled actions ran
 * @param healedAtNanos true time at which the last fault healed
 * @param recoveryNanos from then until exactly one node was ACTIVE (-1: not within the bound)
 * @param votesHeldByOwnLease vote requests a leader held back because it held a lease itself
 * @param votesHeldAfterStart vote requests a process held back in the grant after it started
 * @param trace the tail of the event trace up to the first violation (empty unless traced)
 */
record SimOutcome(
        long seed,
        int nodes,
        String violation,
        Map<InvariantChecker.Kind, String> violations,
        long events,
        long healedAtNanos,
        long recoveryNanos,
        long votesHeldByOwnLease,
        long votesHeldAfterStart,
        List<String> trace) {

    Set<InvariantChecker.Kind> kinds() {
        return violations.keySet();
    }

    boolean failed() {
        return violation != null;
    }

    /** The report of a failure: its seed, what broke, and the trace tail. */
    String report() {
        StringBuilder b = new StringBuilder();
        b.append("seed ").append(seed).append(" (").append(nodes).append(" nodes): ").append(violation).append('\n');
        for (String line : trace) {
            b.append("  ").append(line).append('\n');
        }
        return b.toString();
    }
}

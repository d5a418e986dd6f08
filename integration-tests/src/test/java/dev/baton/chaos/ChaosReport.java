package dev.baton.chaos;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** What one chaos run did and found; {@link #render()} is the summary table. */
public record ChaosReport(
        ChaosRun.Config config,
        Map<Fault.Kind, Integer> faultsByKind,
        List<Op> history,
        List<Violation> violations,
        List<String> inconclusiveKeys,
        long worstNoActiveNanos,
        long worstActiveDelayNanos,
        long worstClientGapNanos,
        long linearizabilityCheckMillis,
        List<String> unexpectedExits,
        List<String> finalHeal,
        Map<Fault.Kind, String> notExercised,
        int activeIntervals,
        int sickWindows,
        int sickSamples,
        int servedOutsideHistory) {

    public int faults() {
        return faultsByKind.values().stream().mapToInt(Integer::intValue).sum();
    }

    public long count(Op.Outcome outcome) {
        return history.stream().filter(op -> op.outcome() == outcome).count();
    }

    public long count(Op.Kind kind) {
        return history.stream().filter(op -> op.kind() == kind).count();
    }

    /** The longest time in [from, to] in which no operation completed ok, in nanoseconds. */
    static long longestClientGap(List<Op> history, long from, long to) {
        List<Long> oks = new ArrayList<>();
        history.stream().filter(op -> op.outcome() == Op.Outcome.OK).forEach(op -> oks.add(op.completeNanos()));
        oks.sort(Comparator.naturalOrder());
        long last = from;
        long worst = 0;
        for (long t : oks) {
            worst = Math.max(worst, t - last);
            last = Math.max(last, t);
        }
        return Math.max(worst, to - last);
    }

    public String render() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("%n===== chaos %s: seed %d, %d nodes, %d s =====%n", config.name(), config.seed(),
                config.nodes(), config.duration().toSeconds()));
        sb.append(String.format("%-28s %s%n", "faults", faults()));
        faultsByKind.forEach((k, v) -> sb.append(String.format("  %-26s %d%n", k, v)));
        notExercised.forEach((k, why) -> sb.append(String.format("  %-26s NOT EXERCISED: %s%n", k, why)));
        sb.append(String.format("%-28s %d (read %d, put %d, cas %d)%n", "operations", history.size(), count(Op.Kind.READ),
                count(Op.Kind.PUT), count(Op.Kind.CAS)));
        sb.append(String.format("%-28s ok %d, fail %d, unknown %d%n", "outcomes", count(Op.Outcome.OK),
                count(Op.Outcome.FAIL), count(Op.Outcome.UNKNOWN)));
        sb.append(String.format("%-28s %d%n", "ACTIVE intervals", activeIntervals));
        sb.append(String.format("%-28s %d samples in %d logged storage faults%n", "sick-node answers judged", sickSamples,
                sickWindows));
        sb.append(String.format("%-28s %d (stale reads of faulted nodes, final reads)%n", "other values checked",
                servedOutsideHistory));
        sb.append(String.format("%-28s %.0f ms%n", "worst no-ACTIVE gap", worstNoActiveNanos / 1e6));
        sb.append(String.format("%-28s %s%n", "worst heal -> ACTIVE",
                worstActiveDelayNanos == Long.MAX_VALUE ? "never" : String.format("%.0f ms (bound %d ms)",
                        worstActiveDelayNanos / 1e6, config.livenessBound().toMillis())));
        sb.append(String.format("%-28s %.0f ms%n", "worst client gap (no ok op)", worstClientGapNanos / 1e6));
        sb.append(String.format("%-28s %d ms%s%n", "linearizability check", linearizabilityCheckMillis,
                inconclusiveKeys.isEmpty() ? "" : " (INCONCLUSIVE, search bound hit: " + inconclusiveKeys + ")"));
        if (!unexpectedExits.isEmpty()) {
            sb.append(String.format("%-28s %s%n", "unexpected node exits", unexpectedExits));
        }
        if (!finalHeal.isEmpty()) {
            sb.append(String.format("%-28s %s%n", "final heal undid", finalHeal));
        }
        sb.append(String.format("%-28s %d%n", "violations", violations.size()));
        violations.forEach(v -> sb.append(v).append('\n'));
        return sb.toString();
    }
}

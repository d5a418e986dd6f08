package dev.baton.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * One fault kind's idle and loaded trials side by side: per metric the median and p90 (nearest
 * rank, successful trials only) of each, and loaded / idle. The question it answers is the
 * performance issue's: does failover under load stay within {@value #BUDGET_PERCENT}% of idle?
 * Pure apart from the printing.
 */
final class FailoverComparison {

    static final int BUDGET_PERCENT = 20;

    /**
     * A metric of a trial and its name in the table; {@code budgeted}: the takeover as a whole, held to
     * the budget. The others are its parts, there to say where a slower takeover spent its time (a part
     * of a few ms can double without mattering).
     */
    record Metric(String name, ToDoubleFunction<FailoverTrial> of, boolean budgeted) {}

    static final List<Metric> METRICS = List.of(
            new Metric("client unavailability", t -> t.unavailableMs, true),
            new Metric("fault -> new ACTIVE (watch)", t -> t.newActiveWatchMs, true),
            new Metric("fault -> new ACTIVE (node log)", t -> t.newActiveLogMs, true),
            new Metric("  part: fault -> first CANDIDATE", t -> t.firstCandidateLogMs, false),
            new Metric("  part: first CANDIDATE -> ACTIVE", t -> t.newActiveLogMs - t.firstCandidateLogMs, false),
            new Metric("  part: fault call (kill, exit)", t -> t.faultCallMs, false));

    /** Median and p90 (nearest rank, as {@link Stats}, which has no p90) of one condition's values. */
    record Summary(int n, double p50, double p90) {
        static Summary of(List<FailoverTrial> ts, ToDoubleFunction<FailoverTrial> f) {
            List<Double> v = new ArrayList<>();
            for (FailoverTrial t : ts) {
                double d = f.applyAsDouble(t);
                if (t.error == null && !Double.isNaN(d)) {
                    v.add(d);
                }
            }
            v.sort(Double::compare);
            return v.isEmpty() ? new Summary(0, Double.NaN, Double.NaN) : new Summary(v.size(), rank(v, 0.5), rank(v, 0.9));
        }

        private static double rank(List<Double> sorted, double q) {
            int i = (int) Math.ceil(q * sorted.size()) - 1;
            return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
        }
    }

    private FailoverComparison() {}

    /** Prints the table and returns it as JSON. */
    static Map<String, Object> print(FailoverTrial.Kind kind, List<FailoverTrial> idle, List<FailoverTrial> loaded) {
        Summary rate = Summary.of(loaded, t -> t.load == null ? Double.NaN : t.load.ratePerSecBeforeFault());
        Summary gap = Summary.of(loaded, t -> t.load == null ? Double.NaN : t.load.longestGapMs());
        System.out.printf("%n%s: idle vs loaded (background load in the 2 s before the fault: p50 %.0f writes/s;"
                        + " its longest gap between acks p50 %.0f ms)%n  %-34s %14s | %14s | %s%n",
                kind.label(), rate.p50(), gap.p50(), "metric (ms)", "idle p50/p90", "loaded p50/p90",
                "loaded/idle p50, p90");
        Map<String, Object> json = new LinkedHashMap<>();
        for (Metric m : METRICS) {
            Summary i = Summary.of(idle, m.of());
            Summary l = Summary.of(loaded, m.of());
            double r50 = l.p50() / i.p50();
            double r90 = l.p90() / i.p90();
            System.out.printf("  %-34s %6s/%-7s | %6s/%-7s | %.2f, %.2f (%+.0f ms at p50)%s%n", m.name(),
                    fmt(i.p50()), fmt(i.p90()), fmt(l.p50()), fmt(l.p90()), r50, r90, l.p50() - i.p50(),
                    m.budgeted() && r50 > 1 + BUDGET_PERCENT / 100.0 ? "  OVER " + BUDGET_PERCENT + "%" : "");
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("idle", json(i));
            row.put("loaded", json(l));
            row.put("ratioP50", ratio(r50));
            row.put("ratioP90", ratio(r90));
            if (m.budgeted()) {
                row.put("withinBudgetP50", r50 <= 1 + BUDGET_PERCENT / 100.0);
            }
            json.put(m.name().replace("part: ", "").trim(), row);
        }
        json.put("loadWritesPerSecBeforeFault", json(rate));
        json.put("loadLongestGapMs", json(gap));
        return json;
    }

    private static Map<String, Object> json(Summary s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("n", s.n());
        m.put("p50", Stats.round(s.p50()));
        m.put("p90", Stats.round(s.p90()));
        return m;
    }

    private static Double ratio(double r) {
        return Double.isNaN(r) || Double.isInfinite(r) ? null : Math.round(r * 100) / 100.0;
    }

    private static String fmt(double d) {
        return Double.isNaN(d) ? "-" : String.format("%.0f", d);
    }
}

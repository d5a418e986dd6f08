package dev.baton.bench;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Nearest-rank percentiles of a sample in milliseconds. Immutable. */
record Stats(int n, double p50, double p95, double p99, double max, double min) {

    static Stats of(Collection<Double> values) {
        List<Double> v = new ArrayList<>(values);
        v.removeIf(d -> d == null || d.isNaN());
        v.sort(Double::compare);
        if (v.isEmpty()) {
            return new Stats(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        return new Stats(v.size(), rank(v, 50), rank(v, 95), rank(v, 99), v.get(v.size() - 1), v.get(0));
    }

    private static double rank(List<Double> sorted, double p) {
        int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
    }

    Map<String, Object> json() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("n", n);
        m.put("p50", round(p50));
        m.put("p95", round(p95));
        m.put("p99", round(p99));
        m.put("max", round(max));
        m.put("min", round(min));
        return m;
    }

    String row(String name) {
        return String.format("  %-38s %4d %9s %9s %9s %9s", name, n, fmt(p50), fmt(p95), fmt(p99), fmt(max));
    }

    static String header() {
        return String.format("  %-38s %4s %9s %9s %9s %9s", "metric (ms)", "n", "p50", "p95", "p99", "max");
    }

    private static String fmt(double d) {
        return Double.isNaN(d) ? "-" : String.format("%.0f", d);
    }

    static Object round(double d) {
        return Double.isNaN(d) ? null : Math.round(d * 10) / 10.0;
    }
}

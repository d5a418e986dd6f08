package dev.baton.chaos;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The soak profile ({@code scripts/chaos.sh soak [--minutes 60] [--seed S]}): back-to-back chaos
 * rounds of {@code --round-minutes} (default 5) on fresh clusters, alternating 3 and 5 nodes,
 * round {@code i} with seed {@code S + i}, until the time is used; then a summary table. Files of
 * failing rounds are kept in {@code target/chaos/<seed>/}. Exit code 1 if any checker failed.
 */
public final class ChaosSoak {

    private ChaosSoak() {}

    public static void main(String[] args) throws InterruptedException {
        double minutes = 60;
        double roundMinutes = 5;
        long seed = System.currentTimeMillis();
        int[] sizes = {3, 5};
        int clients = 4;
        boolean regressions = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--minutes" -> minutes = Double.parseDouble(args[++i]);
                case "--round-minutes" -> roundMinutes = Double.parseDouble(args[++i]);
                case "--seed" -> seed = Long.parseLong(args[++i]);
                case "--clients" -> clients = Integer.parseInt(args[++i]);
                case "--regressions" -> regressions = true;
                case "--nodes" -> {
                    String[] s = args[++i].split(",");
                    sizes = new int[s.length];
                    for (int j = 0; j < s.length; j++) {
                        sizes[j] = Integer.parseInt(s[j].trim());
                    }
                }
                default -> {
                    System.err.println("usage: ChaosSoak [--minutes M] [--round-minutes R] [--seed S] [--nodes 3,5] [--clients C] [--regressions]");
                    System.exit(2);
                }
            }
        }
        if (regressions) {
            List<ChaosReport> reports = new ArrayList<>();
            for (ChaosRegressions.Case c : ChaosRegressions.CASES) {
                System.out.printf("[chaos] regression seed %d: %s%n", c.seed(), c.found());
                ChaosReport r = new ChaosRun(new ChaosRun.Config("chaos-regression-" + c.seed() + "-" + c.nodes() + "n",
                        c.nodes(), Duration.ofSeconds(c.seconds()), c.seed(), clients, 3, ChaosIT.LIVENESS_BOUND,
                        Path.of("target", "chaos").toAbsolutePath(), false)).run();
                System.out.println(r.render());
                reports.add(r);
            }
            System.out.println(summary(-1, reports));
            System.exit(reports.stream().allMatch(r -> r.violations().isEmpty()) ? 0 : 1);
        }
        System.out.printf("[chaos] soak: seed %d, %.1f minutes, rounds of %.1f minutes%n", seed, minutes, roundMinutes);
        long end = System.nanoTime() + (long) (minutes * 60e9);
        List<ChaosReport> reports = new ArrayList<>();
        for (int round = 0; System.nanoTime() < end - 30e9; round++) {
            long left = (end - System.nanoTime()) / 1_000_000_000L;
            long seconds = Math.max(30, Math.min((long) (roundMinutes * 60) - 20, left - 20));
            int nodes = sizes[round % sizes.length];
            ChaosReport r = new ChaosRun(new ChaosRun.Config("chaos-soak-" + round + "-" + nodes + "n", nodes,
                    Duration.ofSeconds(seconds), seed + round, clients, 3, ChaosIT.LIVENESS_BOUND,
                    Path.of("target", "chaos").toAbsolutePath(), false)).run();
            System.out.println(r.render());
            reports.add(r);
        }
        System.out.println(summary(seed, reports));
        System.exit(reports.stream().allMatch(r -> r.violations().isEmpty()) ? 0 : 1);
    }

    static String summary(long seed, List<ChaosReport> reports) {
        Map<Fault.Kind, Integer> faults = new EnumMap<>(Fault.Kind.class);
        long ops = 0;
        long ok = 0;
        long unknown = 0;
        long fail = 0;
        long violations = 0;
        long worstGap = 0;
        long worstDelay = 0;
        long worstClient = 0;
        for (ChaosReport r : reports) {
            r.faultsByKind().forEach((k, v) -> faults.merge(k, v, Integer::sum));
            ops += r.history().size();
            ok += r.count(Op.Outcome.OK);
            fail += r.count(Op.Outcome.FAIL);
            unknown += r.count(Op.Outcome.UNKNOWN);
            violations += r.violations().size();
            worstGap = Math.max(worstGap, r.worstNoActiveNanos());
            worstDelay = Math.max(worstDelay, r.worstActiveDelayNanos());
            worstClient = Math.max(worstClient, r.worstClientGapNanos());
        }
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("%n========== chaos soak summary: seed %d, %d rounds ==========%n", seed, reports.size()));
        sb.append(String.format("%-8s %-6s %-20s %7s %9s %8s %8s %11s %11s %11s%n", "round", "nodes", "seed", "faults", "ops",
                "unknown", "viol.", "noActive", "heal->act", "clientGap"));
        for (int i = 0; i < reports.size(); i++) {
            ChaosReport r = reports.get(i);
            sb.append(String.format("%-8d %-6d %-20d %7d %9d %8d %8d %9.0fms %9.0fms %9.0fms%n", i, r.config().nodes(),
                    r.config().seed(), r.faults(), r.history().size(), r.count(Op.Outcome.UNKNOWN), r.violations().size(),
                    r.worstNoActiveNanos() / 1e6, r.worstActiveDelayNanos() == Long.MAX_VALUE ? -1 : r.worstActiveDelayNanos() / 1e6,
                    r.worstClientGapNanos() / 1e6));
        }
        sb.append(String.format("%nfaults by kind: %s (total %d)%n", faults, faults.values().stream().mapToInt(i -> i).sum()));
        sb.append(String.format("operations: %d (ok %d, fail %d, unknown %d)%n", ops, ok, fail, unknown));
        sb.append(String.format("violations: %d%n", violations));
        sb.append(String.format("worst unavailability: no ACTIVE %.0f ms; heal -> ACTIVE %s; client gap %.0f ms%n",
                worstGap / 1e6, worstDelay == Long.MAX_VALUE ? "never" : String.format("%.0f ms", worstDelay / 1e6),
                worstClient / 1e6));
        for (ChaosReport r : reports) {
            r.violations().forEach(v -> sb.append("seed ").append(r.config().seed()).append(": ").append(v).append('\n'));
        }
        return sb.toString();
    }
}

package dev.baton.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the background load did around one loaded trial's fault, from the sorted completion times
 * of its acknowledged writes: the rate in the {@value #BEFORE_MS} ms before the fault (the load the
 * fault met), the rate from the fault to the trial's end, and the longest gap between two
 * acknowledged load writes from {@value #BEFORE_MS} ms before the fault to the end (the load's own
 * unavailability; to the end if nothing was acknowledged after the fault). Pure, immutable.
 */
record LoadFigures(double ratePerSecBeforeFault, double ratePerSecAfterFault, double longestGapMs, long acks) {

    static final long BEFORE_MS = 2000;

    static LoadFigures of(long[] sortedAcks, long faultNanos, long endNanos) {
        long from = faultNanos - BEFORE_MS * 1_000_000;
        long before = 0;
        long after = 0;
        long prev = Long.MIN_VALUE;
        long longestGap = 0;
        for (long t : sortedAcks) {
            if (t < from || t >= endNanos) {
                continue;
            }
            if (t < faultNanos) {
                before++;
            } else {
                after++;
            }
            if (prev != Long.MIN_VALUE) {
                longestGap = Math.max(longestGap, t - prev);
            }
            prev = t;
        }
        if (prev != Long.MIN_VALUE && after == 0) {
            longestGap = Math.max(longestGap, endNanos - prev);
        }
        double afterSeconds = (endNanos - faultNanos) / 1e9;
        return new LoadFigures(before / (BEFORE_MS / 1000.0), afterSeconds > 0 ? after / afterSeconds : Double.NaN,
                prev == Long.MIN_VALUE ? Double.NaN : longestGap / 1e6, before + after);
    }

    Map<String, Object> json() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("writesPerSecBeforeFault", Stats.round(ratePerSecBeforeFault));
        m.put("writesPerSecAfterFault", Stats.round(ratePerSecAfterFault));
        m.put("longestGapMs", Stats.round(longestGapMs));
        m.put("acks", acks);
        return m;
    }
}

package dev.baton.bench;

import java.util.Arrays;
import java.util.List;

/**
 * Latencies of one benchmark phase, in nanoseconds. Each worker thread owns one instance while the
 * phase runs (no sharing, no locks); {@link #merge} combines them once the threads have ended.
 */
final class ThroughputLatencies {

    private long[] nanos = new long[1 << 14];
    private int size;

    void add(long latencyNanos) {
        if (size == nanos.length) {
            nanos = Arrays.copyOf(nanos, size * 2);
        }
        nanos[size++] = latencyNanos;
    }

    int count() {
        return size;
    }

    /** All samples of {@code parts}, sorted ascending. */
    static long[] merge(List<ThroughputLatencies> parts) {
        int total = parts.stream().mapToInt(ThroughputLatencies::count).sum();
        long[] all = new long[total];
        int at = 0;
        for (ThroughputLatencies p : parts) {
            System.arraycopy(p.nanos, 0, all, at, p.size);
            at += p.size;
        }
        Arrays.sort(all);
        return all;
    }

    /** Nearest-rank percentile ({@code q} in 0..1) of sorted samples, in milliseconds; NaN if none. */
    static double percentileMs(long[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))] / 1e6;
    }
}

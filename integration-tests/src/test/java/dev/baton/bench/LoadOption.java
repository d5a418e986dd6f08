package dev.baton.bench;

import java.net.URI;
import java.util.Arrays;
import java.util.Locale;

/**
 * {@code --load}: the background write rate of the loaded trials, either in writes/s ({@code 2000})
 * or as a share of the cluster's maximum ({@code half}, {@code 0.5x}), measured first on the fresh
 * cluster: raw HTTP writes at {@value #MEASURE_INFLIGHT} in flight (as {@code bench.sh throughput}
 * measures the maximum), a warm-up, then a window. Immutable.
 */
record LoadOption(double writesPerSecond, double shareOfMax) {

    static final int MEASURE_INFLIGHT = 64;

    /** The measured maximum and the rate chosen from it (the maximum is NaN for a fixed rate). */
    record Resolved(double writesPerSecond, double measuredMax) {}

    static LoadOption parse(String s) {
        String v = s.trim().toLowerCase(Locale.ROOT);
        try {
            if (v.equals("half")) {
                return new LoadOption(Double.NaN, 0.5);
            }
            if (v.endsWith("x")) {
                double share = Double.parseDouble(v.substring(0, v.length() - 1));
                if (share > 0 && share <= 1) {
                    return new LoadOption(Double.NaN, share);
                }
            } else if (Double.parseDouble(v) > 0) {
                return new LoadOption(Double.parseDouble(v), Double.NaN);
            }
        } catch (NumberFormatException e) {
            // the message below
        }
        throw new IllegalArgumentException("--load " + s + ": writes/s above 0, 'half', or a share of the maximum like 0.5x");
    }

    Resolved resolve(URI active, long warmupS, long measureS) throws InterruptedException {
        if (Double.isNaN(shareOfMax)) {
            return new Resolved(writesPerSecond, Double.NaN);
        }
        byte[] value = new byte[ThroughputBenchmark.VALUE_BYTES];
        Arrays.fill(value, (byte) 'm');
        RawWriteLoad.run(active, MEASURE_INFLIGHT, Long.MAX_VALUE, System.nanoTime() + warmupS * 1_000_000_000L, value);
        RawWriteLoad.Result r = RawWriteLoad.run(active, MEASURE_INFLIGHT, Long.MAX_VALUE,
                System.nanoTime() + measureS * 1_000_000_000L, value);
        System.out.printf("[bench] maximum write rate: %.0f writes/s (raw HTTP, %d in flight, %d s after a %d s warm-up;"
                        + " p50 %.1f ms, p99 %.1f ms, %d errors)%n",
                r.opsPerSec(), MEASURE_INFLIGHT, measureS, warmupS, r.p50Ms(), r.p99Ms(), r.errors());
        if (!(r.opsPerSec() > 0)) {
            throw new IllegalStateException("measuring the maximum write rate failed: " + r.firstErrors());
        }
        return new Resolved(r.opsPerSec() * shareOfMax, r.opsPerSec());
    }
}

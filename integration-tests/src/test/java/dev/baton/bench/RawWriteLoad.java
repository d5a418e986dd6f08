package dev.baton.bench;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes distinct keys as fast as the ACTIVE acknowledges them: {@code connections} threads, each
 * with its own raw keep-alive connection ({@link LoadCaller#rawHttp}) and one write in flight, take
 * the next key number {@code 0, 1, ...} until {@code count} keys are written or the deadline passes.
 * Keys are {@link ThroughputBenchmark#key}, values the given 64 bytes. A failed write is counted,
 * not retried (the key stays unwritten).
 */
final class RawWriteLoad {

    /** What one run did; {@code sortedNanos} holds the latency of every acknowledged write. */
    record Result(long written, long errors, double seconds, long[] sortedNanos, Map<String, String> firstErrors) {
        double opsPerSec() {
            return seconds <= 0 ? Double.NaN : written / seconds;
        }

        double p99Ms() {
            return ThroughputLatencies.percentileMs(sortedNanos, 0.99);
        }

        double p50Ms() {
            return ThroughputLatencies.percentileMs(sortedNanos, 0.50);
        }

        double p999Ms() {
            return ThroughputLatencies.percentileMs(sortedNanos, 0.999);
        }

        double maxMs() {
            return sortedNanos.length == 0 ? Double.NaN : sortedNanos[sortedNanos.length - 1] / 1e6;
        }
    }

    private RawWriteLoad() {}

    static Result run(URI active, int connections, long count, long deadlineNanos, byte[] value)
            throws InterruptedException {
        AtomicLong next = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        Map<String, String> firstErrors = new ConcurrentHashMap<>();
        List<ThroughputLatencies> latencies = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        long start = System.nanoTime();
        for (int t = 0; t < connections; t++) {
            ThroughputLatencies mine = new ThroughputLatencies();
            latencies.add(mine);
            Thread thread = new Thread(() -> {
                try (LoadCaller caller = LoadCaller.rawHttp(active)) {
                    for (long k; System.nanoTime() < deadlineNanos && (k = next.getAndIncrement()) < count; ) {
                        long t0 = System.nanoTime();
                        try {
                            caller.call(ThroughputBenchmark.Mode.WRITE, ThroughputBenchmark.key((int) k), value);
                            mine.add(System.nanoTime() - t0);
                        } catch (Exception e) {
                            errors.incrementAndGet();
                            firstErrors.putIfAbsent(e.getClass().getSimpleName(), String.valueOf(e.getMessage()));
                        }
                    }
                }
            }, "bench-raw-write-" + t);
            thread.setDaemon(true);
            thread.start();
            threads.add(thread);
        }
        for (Thread t : threads) {
            // a write is at most one read timeout (15 s) past the deadline
            t.join(Math.max(1, (deadlineNanos - System.nanoTime()) / 1_000_000 + 20_000));
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long[] sorted = ThroughputLatencies.merge(latencies);
        return new Result(sorted.length, errors.get(), seconds, sorted, new LinkedHashMap<>(firstErrors));
    }
}

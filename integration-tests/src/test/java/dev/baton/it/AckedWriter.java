package dev.baton.it;

import dev.baton.client.BatonClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Writes {@code <prefix>NNNNNN} keys one after another through a {@link BatonClient} until stopped
 * (or {@code maxWrites}, or {@code maxTime}), remembering each acknowledged value and the longest
 * time between two acknowledgements. Owns one thread; read the results after {@link #finish}.
 */
final class AckedWriter implements AutoCloseable {

    private final BatonClient client;
    private final String prefix;
    private final Map<String, String> acked = new LinkedHashMap<>();
    private final List<String> failures = new ArrayList<>();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final Thread thread;
    private long longestGapNanos;

    AckedWriter(BatonClient client, String prefix, int maxWrites, Duration maxTime, long pauseMs) {
        this.client = client;
        this.prefix = prefix;
        long deadline = System.nanoTime() + maxTime.toNanos();
        thread = new Thread(() -> {
            long last = System.nanoTime();
            for (int i = 0; i < maxWrites && !stop.get() && System.nanoTime() - deadline < 0; i++) {
                String key = String.format("%s%06d", prefix, i);
                String value = "v" + i;
                try {
                    client.put(key, value);
                    long now = System.nanoTime();
                    synchronized (this) {
                        acked.put(key, value);
                        longestGapNanos = Math.max(longestGapNanos, now - last);
                    }
                    last = now;
                } catch (RuntimeException e) {
                    synchronized (this) {
                        failures.add(key + ": " + e);
                    }
                }
                sleep(pauseMs);
            }
        }, "acked-writer-" + prefix);
        thread.setDaemon(true);
        thread.start();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops the loop and waits for the write in flight (idempotent). */
    void finish() {
        stop.set(true);
        try {
            thread.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    synchronized Map<String, String> acked() {
        return Map.copyOf(acked);
    }

    synchronized int ackedCount() {
        return acked.size();
    }

    /** Writes that did not get an answer within the client's deadline (their outcome is unknown). */
    synchronized List<String> failures() {
        return List.copyOf(failures);
    }

    synchronized Duration longestGap() {
        return Duration.ofNanos(longestGapNanos);
    }

    String prefix() {
        return prefix;
    }

    @Override
    public void close() {
        finish();
        client.close();
    }
}

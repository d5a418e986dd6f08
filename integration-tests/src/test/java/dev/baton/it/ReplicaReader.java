package dev.baton.it;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Reads one key from the listed nodes' own replicas in a loop (active-active stale reads, no
 * redirects) and records every answer that is not a 200 with the expected value and the staleness
 * headers. Owns one thread; counters are safe to read from any thread.
 */
final class ReplicaReader implements AutoCloseable {

    private final List<String> failures = new CopyOnWriteArrayList<>();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicLong ok = new AtomicLong();
    private final Thread thread;

    ReplicaReader(TestCluster c, List<NodeProcess> nodes, String key, String value) {
        thread = new Thread(() -> {
            while (!stop.get()) {
                for (NodeProcess n : nodes) {
                    if (stop.get()) {
                        return;
                    }
                    try {
                        Http.Response r = c.http().get(n.url() + Http.kvPath(key));
                        if (r.status() == 200 && r.tree().get("value").asText().equals(value)
                                && r.header("Baton-Applied-Index").isPresent()
                                && r.header("Baton-Staleness-Ms").isPresent()) {
                            ok.incrementAndGet();
                        } else {
                            failures.add(n.id() + ": " + r);
                        }
                    } catch (RuntimeException e) {
                        failures.add(n.id() + ": " + e);
                    }
                }
            }
        }, "replica-reader");
        thread.start();
    }

    /** Reads answered correctly so far. */
    long ok() {
        return ok.get();
    }

    /** Every answer that was not the expected value with its headers. */
    List<String> failures() {
        return List.copyOf(failures);
    }

    /** Stops the loop and waits for it (idempotent). */
    void finish() {
        stop.set(true);
        try {
            thread.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        finish();
    }
}

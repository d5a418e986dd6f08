package dev.baton.chaos;

import dev.baton.client.BatonClient;
import dev.baton.it.TestCluster;
import dev.baton.client.BatonException;
import dev.baton.client.NoLeaderException;
import dev.baton.client.OutcomeUnknownException;
import dev.baton.client.RevisionMismatchException;
import dev.baton.client.wire.KvEntry;
import dev.baton.client.wire.WriteResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Concurrent clients doing linearizable reads, puts and compare-and-sets on a few keys, each
 * recording invoke / ok / fail / unknown with {@link System#nanoTime()}. Every written value is
 * unique ({@code <client>-<n>}); a CAS expects the revision this client last saw for the key.
 *
 * <p>Classification, from the client's contract (ErrorMapping / RetryPolicy): a write that throws
 * {@link RevisionMismatchException} or {@link NoLeaderException} was not applied (fail); {@link
 * OutcomeUnknownException} or any other error of a write: unknown. A read that fails is left out.
 */
public final class Workload implements AutoCloseable {

    private final List<Op> history = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger ids = new AtomicInteger();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final List<Thread> threads = new ArrayList<>();
    private final List<BatonClient> clients = new ArrayList<>();
    private final List<String> keys;
    private final long seed;

    public Workload(TestCluster cluster, int clientCount, List<String> keys, long seed) {
        this.keys = List.copyOf(keys);
        this.seed = seed;
        for (int c = 0; c < clientCount; c++) {
            clients.add(cluster.clientBuilder()
                    .requestTimeout(Duration.ofSeconds(1))
                    .deadline(Duration.ofSeconds(4))
                    .clientId("chaos-" + seed + "-c" + c)
                    .build());
        }
    }

    public void start() {
        for (int c = 0; c < clients.size(); c++) {
            int client = c;
            Thread t = new Thread(() -> loop(client), "chaos-client-" + c);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
    }

    /** Stops the clients after their current operation. */
    public void stop() throws InterruptedException {
        stop.set(true);
        for (Thread t : threads) {
            t.join(30_000);
        }
    }

    public List<Op> history() {
        synchronized (history) {
            return List.copyOf(history);
        }
    }

    private void loop(int client) {
        BatonClient baton = clients.get(client);
        String process = "c" + client;
        SplittableRandom random = new SplittableRandom(seed * 31 + client);
        Map<String, Long> lastSeen = new HashMap<>();
        int n = 0;
        while (!stop.get()) {
            String key = keys.get(random.nextInt(keys.size()));
            int dice = random.nextInt(10);
            if (dice < 4) {
                read(baton, process, key, lastSeen);
            } else if (dice < 7) {
                String value = process + "-" + (++n);
                long invoke = System.nanoTime();
                try {
                    WriteResult w = baton.put(key, value);
                    lastSeen.put(key, w.revision());
                    record(Op.put(ids.incrementAndGet(), process, key, value, Op.Outcome.OK, w.revision(), invoke, System.nanoTime()));
                } catch (BatonException e) {
                    record(Op.put(ids.incrementAndGet(), process, key, value, writeOutcome(e), -1, invoke, System.nanoTime()));
                    lastSeen.remove(key);
                }
            } else {
                if (!lastSeen.containsKey(key)) {
                    read(baton, process, key, lastSeen);
                }
                String value = process + "-" + (++n);
                long expected = lastSeen.getOrDefault(key, 0L);
                long invoke = System.nanoTime();
                try {
                    WriteResult w = baton.compareAndSet(key, expected, value);
                    lastSeen.put(key, w.revision());
                    record(Op.cas(ids.incrementAndGet(), process, key, expected, value, Op.Outcome.OK, w.revision(), invoke,
                            System.nanoTime()));
                } catch (RevisionMismatchException e) {
                    record(Op.cas(ids.incrementAndGet(), process, key, expected, value, Op.Outcome.FAIL, e.currentRevision(),
                            invoke, System.nanoTime()));
                    lastSeen.remove(key); // read before the next CAS of this key
                } catch (BatonException e) {
                    record(Op.cas(ids.incrementAndGet(), process, key, expected, value, writeOutcome(e), -1, invoke,
                            System.nanoTime()));
                    lastSeen.remove(key);
                }
            }
        }
    }

    private void read(BatonClient baton, String process, String key, Map<String, Long> lastSeen) {
        long invoke = System.nanoTime();
        try {
            Optional<KvEntry> e = baton.get(key);
            long complete = System.nanoTime();
            lastSeen.put(key, e.map(KvEntry::revision).orElse(0L));
            record(Op.read(ids.incrementAndGet(), process, key, e.map(KvEntry::value).orElse(null),
                    e.map(KvEntry::revision).orElse(0L), invoke, complete));
        } catch (BatonException e) {
            record(new Op(ids.incrementAndGet(), process, key, Op.Kind.READ, Op.Outcome.FAIL, null, -1, null, -1, invoke,
                    System.nanoTime()));
        }
    }

    private static Op.Outcome writeOutcome(BatonException e) {
        return e instanceof NoLeaderException ? Op.Outcome.FAIL : Op.Outcome.UNKNOWN;
    }

    private void record(Op op) {
        history.add(op);
    }

    @Override
    public void close() {
        clients.forEach(BatonClient::close);
    }
}

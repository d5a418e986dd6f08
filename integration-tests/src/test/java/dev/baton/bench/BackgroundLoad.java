package dev.baton.bench;

import dev.baton.client.wire.LeaderInfo;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Background writers for the failover benchmark's loaded trials: raw HTTP keep-alive writes
 * ({@link LoadCaller#rawHttp}, cheap for the load generator) at a target rate ({@link WritePacer}),
 * sent by a pool of threads, each with one write in flight, straight at the ACTIVE that
 * {@link ActiveTracker} names. They follow failover like a client would: a write that fails
 * (connection refused or reset, 307 from a node that no longer leads, 503) is retried with the
 * same value on the newest ACTIVE once it is named (or after a short back-off), for up to
 * {@value #WRITE_DEADLINE_MS} ms.
 *
 * <p>At most {@code inflightPerNode} writes are in flight to one node: a hung old ACTIVE holds
 * that many threads until it resumes (a raw connection has no short timeout), the other threads
 * go on at the new ACTIVE. Each thread writes its own versioned keys ({@link VersionedSlots}), so
 * the key space stays at {@code threads x} {@value #SLOTS} keys and every acknowledged write can be
 * checked at the end.
 *
 * <p>Threads: the pool's own; {@link #resume()}, {@link #pause()}, {@link #close()} and the
 * read-outs are for the benchmark's thread. The read-outs are exact while paused or closed.
 */
final class BackgroundLoad implements AutoCloseable {

    static final int SLOTS = 128;
    static final String KEY_PREFIX = "fl/";
    private static final long WRITE_DEADLINE_MS = 20_000;

    private final ActiveTracker tracker;
    private final WritePacer pacer;
    private final double writesPerSecond;
    private final int inflightPerNode;
    private final Map<String, Semaphore> inflight = new ConcurrentHashMap<>();
    private final List<Sender> senders = new ArrayList<>();
    private final AtomicInteger busy = new AtomicInteger();
    private final AtomicLong failedAttempts = new AtomicLong();
    private final AtomicLong abandoned = new AtomicLong();
    private final Object resumed = new Object();
    private volatile boolean running;
    private volatile boolean closed;

    BackgroundLoad(ActiveTracker tracker, double writesPerSecond, int threads, int inflightPerNode) {
        this.tracker = tracker;
        this.writesPerSecond = writesPerSecond;
        this.pacer = new WritePacer(writesPerSecond);
        this.inflightPerNode = inflightPerNode;
        for (int i = 0; i < threads; i++) {
            Sender s = new Sender(new VersionedSlots(String.format(Locale.ROOT, "%sc%03d/", KEY_PREFIX, i), SLOTS));
            s.thread.start();
            senders.add(s);
        }
    }

    double writesPerSecond() {
        return writesPerSecond;
    }

    int threads() {
        return senders.size();
    }

    int inflightPerNode() {
        return inflightPerNode;
    }

    void resume() {
        pacer.reset();
        synchronized (resumed) {
            running = true;
            resumed.notifyAll();
        }
    }

    /** Stops issuing writes and waits (up to 30 s) until none is in flight; a write in retry is given up. */
    void pause() throws InterruptedException {
        running = false;
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (busy.get() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        if (busy.get() > 0) {
            System.out.printf("[bench] background load: %d write(s) still in flight 30 s after pausing%n", busy.get());
        }
    }

    /** Completion times ({@code System.nanoTime()}) of the acknowledged load writes in {@code [from, to)}, sorted. */
    long[] ackTimes(long fromNanos, long toNanos) {
        List<long[]> parts = new ArrayList<>();
        for (Sender s : senders) {
            parts.add(s.ackTimes(fromNanos, toNanos));
        }
        long[] all = parts.stream().flatMapToLong(Arrays::stream).toArray();
        Arrays.sort(all);
        return all;
    }

    long acknowledged() {
        return senders.stream().mapToLong(Sender::ackCount).sum();
    }

    long failedAttempts() {
        return failedAttempts.get();
    }

    /** Writes given up (retried for {@value #WRITE_DEADLINE_MS} ms, or in retry at a pause): unacknowledged. */
    long abandoned() {
        return abandoned.get();
    }

    /** The key prefix per thread, and its writes, for the lost-write check (after {@link #close()}). */
    List<VersionedSlots> slots() {
        return senders.stream().map(s -> s.slots).toList();
    }

    /** Stops the threads; waits for each up to the raw connection's read timeout and a margin. */
    @Override
    public void close() {
        closed = true;
        running = false;
        synchronized (resumed) {
            resumed.notifyAll();
        }
        long deadline = System.nanoTime() + 20_000_000_000L;
        for (Sender s : senders) {
            try {
                s.thread.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** One pool thread: its connection, its keys, its acknowledgement times. */
    private final class Sender {
        final VersionedSlots slots;
        final Thread thread;
        private long[] acks = new long[1024]; // guarded by this
        private int ackCount; // guarded by this
        private LoadCaller caller;
        private String callerUrl;

        Sender(VersionedSlots slots) {
            this.slots = slots;
            this.thread = new Thread(this::run, "bench-load-" + slots.prefix());
            thread.setDaemon(true);
        }

        private void run() {
            try {
                while (!closed) {
                    if (!running) {
                        awaitResume();
                        continue;
                    }
                    long at = pacer.claim(System.nanoTime());
                    for (long left; (left = at - System.nanoTime()) > 0 && running; ) {
                        LockSupport.parkNanos(left);
                    }
                    if (!running) {
                        continue; // the slot is dropped
                    }
                    busy.incrementAndGet();
                    try {
                        writeOne();
                    } finally {
                        busy.decrementAndGet();
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                if (caller != null) {
                    caller.close();
                }
            }
        }

        private void awaitResume() throws InterruptedException {
            synchronized (resumed) {
                while (!running && !closed) {
                    resumed.wait(1000);
                }
            }
        }

        /** One write, retried with the same value until acknowledged, paused, or past its deadline. */
        private void writeOne() throws InterruptedException {
            long n = slots.next();
            String key = slots.key(n);
            byte[] value = VersionedSlots.value(n).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            long deadline = System.nanoTime() + WRITE_DEADLINE_MS * 1_000_000;
            long backoffMs = 10;
            while (running && System.nanoTime() < deadline) {
                LeaderInfo target = tracker.current();
                if (target == null) {
                    tracker.awaitTermAbove(-1, 100);
                    continue;
                }
                Semaphore permits = inflight.computeIfAbsent(target.url(), u -> new Semaphore(inflightPerNode));
                if (!permits.tryAcquire(20, TimeUnit.MILLISECONDS)) {
                    continue; // this node's writes are all taken (a hung node holds them): look again for a newer ACTIVE
                }
                try {
                    callerFor(target.url()).call(ThroughputBenchmark.Mode.WRITE, key, value);
                    slots.acked(n);
                    recordAck(System.nanoTime());
                    return;
                } catch (Exception e) {
                    failedAttempts.incrementAndGet();
                } finally {
                    permits.release();
                }
                tracker.awaitTermAbove(target.term(), backoffMs); // at once if a newer ACTIVE is named
                backoffMs = Math.min(backoffMs * 2, 200);
            }
            abandoned.incrementAndGet();
        }

        private LoadCaller callerFor(String url) {
            if (!url.equals(callerUrl)) {
                if (caller != null) {
                    caller.close();
                }
                caller = LoadCaller.rawHttp(URI.create(url));
                callerUrl = url;
            }
            return caller;
        }

        private synchronized void recordAck(long nanos) {
            if (ackCount == acks.length) {
                acks = Arrays.copyOf(acks, acks.length * 2);
            }
            acks[ackCount++] = nanos;
        }

        synchronized int ackCount() {
            return ackCount;
        }

        synchronized long[] ackTimes(long from, long to) {
            return Arrays.stream(acks, 0, ackCount).filter(t -> t >= from && t < to).toArray();
        }
    }
}

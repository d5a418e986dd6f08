package dev.baton.bench;

import dev.baton.client.BatonClient;
import dev.baton.client.BatonException;
import dev.baton.client.wire.WriteResult;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.locks.LockSupport;

/**
 * One writer thread: sequential puts of {@code w/<8-digit seq>} = {@code v<seq>} through a
 * {@link BatonClient}, as fast as they are acknowledged (or one every {@code pauseMs}). Records every
 * acknowledgement with its completion time ({@code System.nanoTime()}) and the term it was written
 * in. Acks are appended by the writer thread and read by others under {@code this}.
 */
final class Writer implements AutoCloseable {

    record Ack(long seq, long invokedNanos, long ackedNanos, long term) {
        String key() {
            return Writer.key(seq);
        }
    }

    static String key(long seq) {
        return String.format("w/%08d", seq);
    }

    static String value(long seq) {
        return "v" + seq;
    }

    private final BatonClient client;
    private final long pauseNanos;
    private final List<Ack> acks = new ArrayList<>();
    private final Thread thread;
    private volatile boolean stop;
    private long failures;
    private long seq;

    Writer(BatonClient client, long pauseMs) {
        this.client = client;
        this.pauseNanos = pauseMs * 1_000_000;
        this.thread = new Thread(this::run, "bench-writer");
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    private void run() {
        while (!stop) {
            long s = ++seq;
            long t0 = System.nanoTime();
            try {
                WriteResult r = client.put(key(s), value(s));
                long t1 = System.nanoTime();
                synchronized (this) {
                    acks.add(new Ack(s, t0, t1, r.term()));
                }
            } catch (BatonException e) {
                synchronized (this) {
                    failures++;
                }
            }
            if (pauseNanos > 0) {
                LockSupport.parkNanos(pauseNanos);
            }
        }
    }

    synchronized List<Ack> acks() {
        return List.copyOf(acks);
    }

    synchronized int ackCount() {
        return acks.size();
    }

    synchronized long failures() {
        return failures;
    }

    /**
     * Waits until a write is acknowledged after {@code afterNanos} in a term > {@code termAbove};
     * returns the completion time of the earliest such write.
     */
    OptionalLong awaitAck(long afterNanos, long termAbove, long timeoutMs) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000;
        while (System.nanoTime() < deadline) {
            long first = Long.MAX_VALUE;
            synchronized (this) {
                for (int i = acks.size() - 1; i >= 0; i--) {
                    Ack a = acks.get(i);
                    if (a.ackedNanos() <= afterNanos) {
                        break;
                    }
                    if (a.term() > termAbove) {
                        first = a.ackedNanos(); // keep going back: the earliest such ack counts
                    }
                }
            }
            if (first != Long.MAX_VALUE) {
                return OptionalLong.of(first);
            }
            Thread.sleep(5);
        }
        return OptionalLong.empty();
    }

    @Override
    public void close() {
        stop = true;
        try {
            thread.join(120_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

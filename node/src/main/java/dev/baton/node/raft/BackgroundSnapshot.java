package dev.baton.node.raft;

import dev.baton.node.Consensus.StateExport;
import dev.baton.node.statemachine.KvStateMachine;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.nio.ByteBuffer;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jgroups.util.ByteArrayDataOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the log's snapshot on its own thread, so appends and commits go on meanwhile. In 1.1.4
 * {@code RAFT.takeSnapshot} serialises the whole state machine and writes it to disk on the runner
 * thread, the thread that appends and commits: measured with 1M keys of 64 bytes, 124-275 ms to
 * serialise 94 MB and 120-700 ms to write and force it on this machine, during which no write
 * was answered.
 *
 * <p>Now the runner thread only captures the state ({@link KvStateMachine#capture}: the keys are
 * frozen, not copied) at the last applied index; this thread serialises it and stores it ({@link
 * ChecksummedLog#storeSnapshot}); the runner thread, at its next pass ({@link #finishIfDone}),
 * releases the capture and drops the entries the snapshot covers. Until then those entries stay,
 * so a crash at any point leaves a snapshot and a log that together hold every committed entry.
 * One snapshot at a time; a failed one is reported as a storage fault and retried at the next
 * threshold, as before.
 *
 * <p>A backup ({@code GET /v1/admin/snapshot}, {@link #startExport}) is captured and written the
 * same way, through the same one capture slot, but its bytes go to the caller instead of the
 * log, and no entry is dropped.
 *
 * <p>Threading: {@link #start}, {@link #finishIfDone} and {@link #await} run on the runner thread,
 * which owns every field here; the writer sets an in-flight snapshot's results before its task completes.
 */
final class BackgroundSnapshot implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(BackgroundSnapshot.class);

    private final ChecksummedLog store;
    private final ReplicatedKv kv;
    private final ExecutorService writer = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "baton-snapshot");
        t.setDaemon(true);
        return t;
    });

    private InFlight inFlight;

    /** What the runner thread captured; {@code stored}, {@code writeMs} and {@code bytes} are set by the writer. */
    private static final class InFlight {
        final long index;
        final KvStateMachine.Capture capture;
        final double captureMs;
        final long startNanos = System.nanoTime();
        final CompletableFuture<StateExport> export; // null: the log's snapshot
        Future<?> task; // done once the writer is; its completion publishes the fields below
        boolean stored;
        double writeMs;
        long bytes;

        InFlight(long index, KvStateMachine.Capture capture, double captureMs, CompletableFuture<StateExport> export) {
            this.index = index;
            this.capture = capture;
            this.captureMs = captureMs;
            this.export = export;
        }
    }

    BackgroundSnapshot(ChecksummedLog store, ReplicatedKv kv) {
        this.store = store;
        this.kv = kv;
    }

    boolean running() {
        return inFlight != null;
    }

    /**
     * Captures the state machine, which has applied every entry up to {@code index} (of {@code
     * term}), and writes {@code internalState} followed by it in the background, as {@code
     * RAFT.takeSnapshot} lays a snapshot out.
     */
    void start(long index, long term, byte[] internalState) throws Exception {
        if (inFlight != null) {
            throw new IllegalStateException("a snapshot is still being written");
        }
        long t0 = System.nanoTime();
        KvStateMachine.Capture capture = kv.capture();
        InFlight f = new InFlight(index, capture, (System.nanoTime() - t0) / 1e6, null);
        inFlight = f;
        f.task = writer.submit(() -> write(f, term, internalState));
    }

    /**
     * Captures the state machine, which has applied every entry up to {@code index} (of {@code
     * term}), and completes {@code export} with its content, written in the background. Only
     * while no snapshot is {@link #running()}.
     */
    void startExport(long index, long term, CompletableFuture<StateExport> export) throws Exception {
        if (inFlight != null) {
            throw new IllegalStateException("a snapshot is still being written");
        }
        long t0 = System.nanoTime();
        KvStateMachine.Capture capture = kv.capture();
        InFlight f = new InFlight(index, capture, (System.nanoTime() - t0) / 1e6, export);
        inFlight = f;
        f.task = writer.submit(() -> {
            try {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream(1024);
                f.capture.writeTo(new DataOutputStream(bytes));
                f.bytes = bytes.size();
                export.complete(new StateExport(index, term, bytes.toByteArray()));
            } catch (Exception | OutOfMemoryError e) {
                export.completeExceptionally(e);
            }
        });
    }

    private void write(InFlight f, long term, byte[] internalState) {
        try {
            long t0 = System.nanoTime();
            ByteArrayDataOutputStream out = new ByteArrayDataOutputStream(Math.max(1024, internalState.length * 2), true);
            out.write(internalState);
            f.capture.writeTo(out);
            f.bytes = out.position();
            f.stored = store.storeSnapshot(f.index, term, ByteBuffer.wrap(out.buffer(), 0, out.position()));
            f.writeMs = (System.nanoTime() - t0) / 1e6;
        } catch (Exception | OutOfMemoryError e) {
            log.error("writing the snapshot at index {} failed; the log keeps its entries and the next snapshot is tried later", f.index, e);
        }
    }

    /** If the snapshot in flight is written: releases its capture and drops the entries it covers. */
    void finishIfDone() {
        InFlight f = inFlight;
        if (f == null || !f.task.isDone()) {
            return;
        }
        inFlight = null;
        kv.release(f.capture);
        if (f.export != null) {
            log.info("backup of the state at index {}: {} bytes", f.index, f.bytes);
        } else if (f.stored) {
            store.dropCoveredBy(f.index);
            log.info("snapshot at index {} took {} ms: {} ms on the Raft thread, {} ms writing {} bytes in the background",
                    f.index, ms((System.nanoTime() - f.startNanos) / 1e6), ms(f.captureMs), ms(f.writeMs), f.bytes);
        }
    }

    /** Waits for the snapshot in flight (if any) and finishes it: before a snapshot taken the old way. */
    void await() throws Exception {
        InFlight f = inFlight;
        if (f != null) {
            f.task.get();
            finishIfDone();
        }
    }

    private static String ms(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    @Override
    public void close() {
        writer.shutdownNow();
        try {
            writer.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

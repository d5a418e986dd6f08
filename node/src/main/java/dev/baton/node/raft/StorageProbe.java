package dev.baton.node.raft;

import dev.baton.node.health.StorageHealth;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * While a storage fault is open, retries once every {@code intervalMs} the writes that no Raft
 * traffic retries soon ({@link ChecksummedLog#retryIdleWrites}) and closes flapping faults that
 * have settled ({@link StorageHealth#settle}), so a node whose disk has room
 * again becomes healthy without a restart even in an idle cluster. Its own thread, {@code
 * baton-storage-probe}; idle (one volatile read per interval) while the node is healthy.
 */
final class StorageProbe implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(StorageProbe.class);

    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "baton-storage-probe");
        t.setDaemon(true);
        return t;
    });

    StorageProbe(ChecksummedLog target, StorageHealth health, long intervalMs) {
        thread.scheduleWithFixedDelay(() -> {
            if (!health.healthy()) {
                try {
                    health.settle();
                    target.retryIdleWrites();
                } catch (RuntimeException e) {
                    log.warn("storage probe failed", e);
                }
            }
        }, intervalMs, intervalMs, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}

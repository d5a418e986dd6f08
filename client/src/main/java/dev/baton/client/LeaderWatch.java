package dev.baton.client;

import dev.baton.client.internal.LeaderWatcher;

/**
 * A running {@link BatonClient#watchLeader watch}. Close it to stop: no event is delivered after
 * {@link #close()} returns (unless close is called from the listener itself, which ends the watch
 * after the current event). Thread-safe.
 */
public final class LeaderWatch implements AutoCloseable {

    private final LeaderWatcher watcher;
    private final Runnable onClose;

    LeaderWatch(LeaderWatcher watcher, Runnable onClose) {
        this.watcher = watcher;
        this.onClose = onClose;
    }

    /** True until {@link #close()} (or the client's close) is called. */
    public boolean isOpen() {
        return !watcher.isClosed();
    }

    /** Stops the watch and waits (briefly) for its thread to end. Idempotent. */
    @Override
    public void close() {
        watcher.close();
        onClose.run();
    }
}

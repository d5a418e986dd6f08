package dev.baton.node.metrics;

/**
 * Told by the log how long its writes take. Called on the thread that writes (RAFT's runner, or
 * the background snapshot thread): implementations must be quick and never throw.
 */
public interface StorageObserver {

    /**
     * A batch of {@code entries} was stored in {@code nanos} in all, of which the force to disk
     * took {@code forceNanos} (-1: not forced, fsync is off).
     */
    void appended(int entries, long nanos, long forceNanos);

    /** A snapshot was written (and forced) in {@code nanos}. */
    void snapshotStored(long nanos);

    /** Observes nothing. */
    StorageObserver NONE = new StorageObserver() {
        @Override
        public void appended(int entries, long nanos, long forceNanos) {}

        @Override
        public void snapshotStored(long nanos) {}
    };
}

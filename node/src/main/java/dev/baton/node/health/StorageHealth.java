package dev.baton.node.health;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether this node's storage works: every part that failed its last write, with the first error,
 * until a write to that part succeeds again (for damaged log data: until the damaged entries are
 * replaced or cut off). The log reports each write; readers (the role thread,
 * HTTP, elections) read {@link #fault()}, which costs a volatile read.
 *
 * <p>Logging: a part's first failure is logged at ERROR with its cause, repeats at most once a
 * minute (a full disk fails every resend, several times a second), the recovery at INFO with how
 * long it lasted.
 *
 * <p>Threading: writers are jgroups-raft's runner thread and the storage probe; {@link #failed} and
 * {@link #succeeded} are synchronized, and {@link #succeeded} returns at once while nothing is open,
 * so the hot path of a healthy node is one volatile read.
 */
public final class StorageHealth {

    private static final Logger log = LoggerFactory.getLogger(StorageHealth.class);
    private static final long REPEAT_LOG_NANOS = TimeUnit.MINUTES.toNanos(1);

    /** The parts of a node's storage, each with its own fault. */
    public enum Part {
        /** The entry file ({@code entries.crc}): appends and truncations. */
        LOG("log"),
        /** {@code metadata.raft}: the current term, the vote and the commit index. */
        METADATA("metadata"),
        /** {@code snapshot.crc}: the state machine's snapshot. */
        SNAPSHOT("snapshot"),
        /** An entry of {@code entries.crc} that fails its checksum when read: until it is replaced or cut off. */
        LOG_DATA("log data");

        private final String label;

        Part(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    private record Open(StorageFault fault, long sinceNanos, long failures, long loggedNanos) {}

    private final Map<Part, Open> open = new EnumMap<>(Part.class); // guarded by this
    private volatile StorageFault current; // the oldest open fault, null when every part works
    private volatile Runnable listener = () -> {};

    /** The oldest fault still open, or null if every part's last write succeeded. */
    public StorageFault fault() {
        return current;
    }

    public boolean healthy() {
        return current == null;
    }

    /** Called once per change of {@link #fault()} (on the reporting thread; must only hand the news on). */
    public void onChange(Runnable l) {
        listener = l;
    }

    /** A write to {@code part} failed with {@code cause}; {@code what} says which write. */
    public void failed(Part part, String what, Throwable cause) {
        long now = System.nanoTime();
        boolean changed;
        synchronized (this) {
            Open o = open.get(part);
            if (o == null) {
                String detail = what + " failed: " + describe(cause);
                open.put(part, new Open(new StorageFault(part, detail, System.currentTimeMillis()), now, 1, now));
                log.error("storage fault, this node is UNHEALTHY until a write succeeds again: {}: {}", part.label(), detail,
                        cause);
            } else {
                boolean logNow = now - o.loggedNanos() > REPEAT_LOG_NANOS;
                open.put(part, new Open(o.fault(), o.sinceNanos(), o.failures() + 1, logNow ? now : o.loggedNanos()));
                if (logNow) {
                    log.error("storage fault still open after {} s and {} failed writes: {}: {} (latest: {})",
                            TimeUnit.NANOSECONDS.toSeconds(now - o.sinceNanos()), o.failures() + 1, part.label(),
                            o.fault().detail(), describe(cause));
                } else {
                    log.debug("{}: {} failed again: {}", part.label(), what, describe(cause));
                }
            }
            changed = publish();
        }
        if (changed) {
            listener.run();
        }
    }

    /**
     * {@code part} cannot be counted on, for a reason that is no failed write ({@code detail} says
     * it all, e.g. committed entries a repair discarded); closed by {@link #succeeded}.
     */
    public void unsound(Part part, String detail) {
        boolean changed;
        synchronized (this) {
            if (open.containsKey(part)) {
                return;
            }
            long now = System.nanoTime();
            open.put(part, new Open(new StorageFault(part, detail, System.currentTimeMillis()), now, 1, now));
            log.warn("this node is UNHEALTHY until this is resolved: {}: {}", part.label(), detail);
            changed = publish();
        }
        if (changed) {
            listener.run();
        }
    }

    /** A write to {@code part} succeeded: its fault, if any, is over. */
    public void succeeded(Part part) {
        if (current == null) {
            return;
        }
        boolean changed;
        synchronized (this) {
            Open o = open.remove(part);
            if (o == null) {
                return;
            }
            log.info("storage recovered: {} writes work again after {} ms and {} failed writes ({})", part.label(),
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - o.sinceNanos()), o.failures(), o.fault().detail());
            changed = publish();
        }
        if (changed) {
            listener.run();
        }
    }

    /** Whether {@code part} has an open fault. */
    public synchronized boolean failing(Part part) {
        return open.containsKey(part);
    }

    private boolean publish() {
        StorageFault oldest = null;
        for (Open o : open.values()) {
            if (oldest == null || o.fault().sinceEpochMs() < oldest.sinceEpochMs()) {
                oldest = o.fault();
            }
        }
        boolean changed = oldest != current;
        current = oldest;
        return changed;
    }

    /** The error as people read it: the innermost message ("No space left on device"), with its type if it has none. */
    static String describe(Throwable cause) {
        Throwable t = cause;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage();
        return m == null || m.isBlank() ? t.getClass().getSimpleName() : m;
    }
}

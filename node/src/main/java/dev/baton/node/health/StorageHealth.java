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
 * <p>Flapping: on a nearly full disk a failed append gives its space back and the next small one
 * fits, so a part can fail, work and fail again within milliseconds (seen in the chaos suite). A
 * fault that opens within {@link #FLAP_WINDOW_NANOS} of the part's last recovery is a flap: it is
 * logged as one WARN line a minute at most, and it closes only after writes of the part have worked
 * for {@link #SETTLE_NANOS} without a failure (at the next successful write after that, or at the
 * storage probe's {@link #settle}), so the role does not flap with it (nor run hooks each time).
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

    static final long FLAP_WINDOW_NANOS = TimeUnit.MINUTES.toNanos(1);
    static final long SETTLE_NANOS = TimeUnit.SECONDS.toNanos(1);

    /** An open fault; {@code workingSinceNanos} is when writes began to succeed again (a flap settling), else 0. */
    private record Open(StorageFault fault, long sinceNanos, long failures, long loggedNanos, boolean flapping,
            long workingSinceNanos, boolean openingLogged) {
        Open failedAgain(long now, boolean logged) {
            return new Open(fault, sinceNanos, failures + 1, logged ? now : loggedNanos, flapping, 0, openingLogged);
        }

        Open working(long now) {
            return new Open(fault, sinceNanos, failures, loggedNanos, flapping, now, openingLogged);
        }
    }

    private final java.util.function.LongSupplier clock;
    private final Map<Part, Open> open = new EnumMap<>(Part.class); // guarded by this
    private final Map<Part, Long> recoveredNanos = new EnumMap<>(Part.class); // guarded by this
    private final Map<Part, Long> flapLoggedNanos = new EnumMap<>(Part.class); // guarded by this
    private volatile StorageFault current; // the oldest open fault, null when every part works
    private volatile Runnable listener = () -> {};

    public StorageHealth() {
        this(System::nanoTime);
    }

    /** With the monotonic clock {@code clock} (nanoseconds), for tests. */
    public StorageHealth(java.util.function.LongSupplier clock) {
        this.clock = clock;
    }

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
        long now = clock.getAsLong();
        boolean changed;
        synchronized (this) {
            Open o = open.get(part);
            if (o == null) {
                String detail = what + " failed: " + describe(cause);
                Long recovered = recoveredNanos.get(part);
                boolean flap = recovered != null && now - recovered < FLAP_WINDOW_NANOS;
                boolean logOpening = !flap
                        || now - flapLoggedNanos.getOrDefault(part, now - REPEAT_LOG_NANOS - 1) > REPEAT_LOG_NANOS;
                open.put(part, new Open(new StorageFault(part, detail, System.currentTimeMillis()), now, 1, now, flap, 0,
                        logOpening));
                if (!flap) {
                    log.error("storage fault, this node is UNHEALTHY until a write succeeds again: {}: {}", part.label(), detail,
                            cause);
                } else if (logOpening) {
                    flapLoggedNanos.put(part, now);
                    log.warn("storage fault, this node is UNHEALTHY again {} ms after its last recovery, until writes work for {} ms"
                            + " (further such faults within a minute are logged at DEBUG): {}: {}",
                            TimeUnit.NANOSECONDS.toMillis(now - recovered), TimeUnit.NANOSECONDS.toMillis(SETTLE_NANOS),
                            part.label(), detail);
                } else {
                    log.debug("{}: {} failed again: {}", part.label(), what, describe(cause));
                }
            } else {
                boolean logNow = now - o.loggedNanos() > REPEAT_LOG_NANOS;
                open.put(part, o.failedAgain(now, logNow));
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
            long now = clock.getAsLong();
            open.put(part, new Open(new StorageFault(part, detail, System.currentTimeMillis()), now, 1, now, false, 0, true));
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
            Open o = open.get(part);
            if (o == null) {
                return;
            }
            long now = clock.getAsLong();
            if (o.flapping()) {
                if (o.workingSinceNanos() == 0) {
                    open.put(part, o.working(now));
                    return;
                }
                if (now - o.workingSinceNanos() < SETTLE_NANOS) {
                    return;
                }
            }
            changed = close(part, o, now);
        }
        if (changed) {
            listener.run();
        }
    }

    /** The storage probe, about once a second: closes flapping faults whose writes have worked for the settle time since. */
    public void settle() {
        boolean changed = false;
        synchronized (this) {
            long now = clock.getAsLong();
            for (Part part : Part.values()) {
                Open o = open.get(part);
                if (o != null && o.flapping() && o.workingSinceNanos() != 0 && now - o.workingSinceNanos() >= SETTLE_NANOS) {
                    changed |= close(part, o, now);
                }
            }
        }
        if (changed) {
            listener.run();
        }
    }

    private boolean close(Part part, Open o, long now) {
        open.remove(part);
        recoveredNanos.put(part, now);
        if (o.flapping() && !o.openingLogged()) {
            log.debug("storage recovered again: {} ({})", part.label(), o.fault().detail());
        } else {
            log.info("storage recovered: {} writes work again after {} ms and {} failed writes ({})", part.label(),
                    TimeUnit.NANOSECONDS.toMillis(now - o.sinceNanos()), o.failures(), o.fault().detail());
        }
        return publish();
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

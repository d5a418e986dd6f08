package dev.baton.node.peer;

import java.net.InetAddress;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts refused peers and logs each (reason, remote address) once: a refused process retries its
 * connection many times a second, and one line per attempt would drown the log and cost the node
 * time it needs for the members it does accept. Later refusals of the same pair are only counted;
 * the running total is in every line, and in a summary at most once a minute while refusals go on.
 *
 * <p>Called from the transport's acceptor and sender threads; thread-safe. The set of pairs
 * already logged is capped so that refusals from many addresses cannot grow it without bound.
 */
public final class PeerRefusals {

    private static final Logger log = LoggerFactory.getLogger(PeerRefusals.class);

    static final int MAX_LOGGED_PAIRS = 1024;
    private static final long SUMMARY_EVERY_NANOS = 60_000_000_000L;

    private final Map<String, Boolean> logged = new ConcurrentHashMap<>();
    private final Map<Refusal, LongAdder> byReason = new ConcurrentHashMap<>();
    private final LongAdder total = new LongAdder();
    private final AtomicLong lastSummary = new AtomicLong(System.nanoTime());

    /** Records one refusal of the peer at {@code from}. */
    public void refused(Verdict verdict, InetAddress from) {
        Refusal reason = verdict.refusal();
        total.increment();
        byReason.computeIfAbsent(reason, r -> new LongAdder()).increment();
        String address = from == null ? "?" : from.getHostAddress();
        String key = reason + "|" + address;
        if (!logged.containsKey(key) && logged.size() < MAX_LOGGED_PAIRS && logged.putIfAbsent(key, Boolean.TRUE) == null) {
            log.warn("refused peer {}: {} ({}); refused so far: {}; further refusals for this reason from this address are counted, not logged",
                    address, reason.text(), verdict.detail(), total.sum());
            return;
        }
        long now = System.nanoTime();
        long last = lastSummary.get();
        if (now - last > SUMMARY_EVERY_NANOS && lastSummary.compareAndSet(last, now)) {
            log.warn("refused peers so far: {} {}", total.sum(), byReason());
        }
    }

    /** Every refusal since start. */
    public long total() {
        return total.sum();
    }

    /** Refusals since start, by reason (only reasons seen). */
    public Map<Refusal, Long> byReason() {
        Map<Refusal, Long> m = new EnumMap<>(Refusal.class);
        byReason.forEach((r, n) -> m.put(r, n.sum()));
        return m;
    }
}

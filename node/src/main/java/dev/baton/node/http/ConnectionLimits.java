package dev.baton.node.http;

import java.util.HashMap;
import java.util.Map;

/**
 * Counts the node's open HTTP connections, in all and per client address, and decides what a new
 * one may do. Pure accounting (no I/O, no clock); thread-safe, as every event loop admits and
 * releases its own connections.
 *
 * <p>A connection over a limit is not closed unread: it may send one request, which is answered
 * only if it is a health check ({@code /health/*}, so load balancers see the node under any load),
 * and otherwise refused with 503 or 429, then closed. Such "overflow" connections are bounded too
 * ({@link #overflowLimit}, and the header timeout bounds how long each lives); past that a new
 * connection is closed at once, without an answer.
 */
final class ConnectionLimits {

    /** What an accepted connection may do. */
    enum Admission {
        /** Counted within the limits: served normally. */
        ADMITTED,
        /** Over {@code --http-max-connections}: one request, health answered, else 503. */
        NODE_FULL,
        /** Over {@code --http-max-connections-per-client}: one request, health answered, else 429. */
        CLIENT_FULL,
        /** Over the overflow bound too: closed without reading. */
        DROPPED
    }

    private final int maxConnections;
    private final int maxPerClient;
    private final int overflowLimit;
    private final Map<String, Integer> perClient = new HashMap<>(); // guarded by this
    private int open; // admitted, guarded by this
    private int overflow; // NODE_FULL or CLIENT_FULL, guarded by this

    ConnectionLimits(int maxConnections, int maxPerClient) {
        this.maxConnections = maxConnections;
        this.maxPerClient = maxPerClient;
        this.overflowLimit = overflowLimit(maxConnections);
    }

    /** Overflow connections (answered once, then closed) at most: an eighth of the limit, at least 16. */
    static int overflowLimit(int maxConnections) {
        return Math.max(16, maxConnections / 8);
    }

    /** Admits a new connection from {@code client}; every admission is released once with {@link #release}. */
    synchronized Admission admit(String client) {
        Admission a;
        int mine = perClient.getOrDefault(client, 0);
        if (open >= maxConnections) {
            a = Admission.NODE_FULL;
        } else if (mine >= maxPerClient) {
            a = Admission.CLIENT_FULL;
        } else {
            open++;
            perClient.put(client, mine + 1);
            return Admission.ADMITTED;
        }
        if (overflow >= overflowLimit) {
            return Admission.DROPPED;
        }
        overflow++;
        return a;
    }

    /** The connection {@code admit} answered {@code admission} for has closed. */
    synchronized void release(String client, Admission admission) {
        switch (admission) {
            case ADMITTED -> {
                open--;
                perClient.computeIfPresent(client, (k, n) -> n > 1 ? n - 1 : null);
            }
            case NODE_FULL, CLIENT_FULL -> overflow--;
            case DROPPED -> { }
        }
    }

    synchronized int open() {
        return open;
    }

    synchronized int overflow() {
        return overflow;
    }

    /** Client addresses with an admitted connection (for tests: an address leaves when its last connection closes). */
    synchronized int clients() {
        return perClient.size();
    }
}

package dev.baton.node.raft;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tells a crashed member from a paused or cut-off one by connecting to its cluster transport port:
 * "connection refused" means no process listens there any more. A paused process still accepts
 * connections (the kernel completes the handshake) and a partition that drops packets times out,
 * so neither counts as gone.
 *
 * <p>Assumption: the network drops rather than rejects packets between members (iptables {@code
 * -j DROP}, not {@code -j REJECT}); a rejecting firewall would look like a crash.
 */
final class PortProbe {

    private volatile Map<String, InetSocketAddress> transportOf; // replaced when the member table changes
    private final String selfId;
    private final int connectTimeoutMs;
    /** When each member's port was last seen refusing (monotonic nanos), for the leadership history's causes. */
    private final Map<String, Long> goneAtNanos = new ConcurrentHashMap<>();

    /** @param transportOf each member's transport address, by raft id */
    PortProbe(Map<String, InetSocketAddress> transportOf, String selfId, long connectTimeoutMs) {
        this.transportOf = Map.copyOf(transportOf);
        this.selfId = selfId;
        this.connectTimeoutMs = (int) connectTimeoutMs;
    }

    /** Replaces the members' transport addresses (a membership change was applied). */
    void update(Map<String, InetSocketAddress> transports) {
        this.transportOf = Map.copyOf(transports);
    }

    /** True only if {@code memberId} is known and its transport port refuses connections. Blocks up to the connect timeout. */
    boolean isGone(String memberId) {
        Map<String, InetSocketAddress> transports = transportOf;
        InetSocketAddress target = memberId == null ? null : transports.get(memberId);
        if (target == null) {
            return false;
        }
        try (Socket s = new Socket()) {
            InetSocketAddress self = transports.get(selfId);
            if (self != null) {
                s.bind(new InetSocketAddress(self.getAddress(), 0)); // from this member's address, like its transport
            }
            s.connect(target, connectTimeoutMs);
            return false;
        } catch (ConnectException e) {
            boolean refused = e.getMessage() != null && e.getMessage().contains("refused");
            if (refused) {
                goneAtNanos.put(memberId, System.nanoTime());
            }
            return refused;
        } catch (IOException e) {
            return false; // timeout or unreachable: maybe cut off, not known dead
        }
    }

    /** Whether some probe (the crash fast path, a held vote's, the history's) saw {@code memberId}'s port refuse after {@code sinceNanos}. */
    boolean seenGoneSince(String memberId, long sinceNanos) {
        Long at = memberId == null ? null : goneAtNanos.get(memberId);
        return at != null && at - sinceNanos >= 0;
    }

    boolean knows(String memberId) {
        return memberId != null && transportOf.containsKey(memberId);
    }
}

package dev.baton.node.raft;

import dev.baton.node.health.PeerHealth;
import dev.baton.node.health.StorageFault;
import dev.baton.node.health.StorageHealth;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jgroups.Address;
import org.jgroups.EmptyMessage;
import org.jgroups.Message;
import org.jgroups.conf.ClassConfigurator;
import org.jgroups.stack.Protocol;
import org.jgroups.util.MessageBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells every member whether this node's storage works, and keeps what the others said, so each
 * node's {@code /v1/status} can show every member's health and say when no majority can persist
 * (else a cluster that cannot commit looks like an endless election). A multicast of a few bytes
 * once per {@code intervalMs} and at once on a change; reports older than three intervals count as
 * unknown. Not part of Raft: nothing is decided on it.
 *
 * <p>Threading: its own thread ({@code baton-health-beacon}) sends; JGroups threads record what
 * arrives in a concurrent map of immutable reports.
 */
public final class HealthBeacon extends Protocol {

    private static final Logger log = LoggerFactory.getLogger(HealthBeacon.class);

    static final short PROTOCOL_ID = 4303;

    static {
        ClassConfigurator.addProtocol(PROTOCOL_ID, HealthBeacon.class);
        ClassConfigurator.add(HealthHeader.MAGIC_ID, HealthHeader.class);
    }

    private final long intervalMs;
    private final Map<String, PeerHealth> peers = new ConcurrentHashMap<>();
    private volatile StorageHealth health;
    private ScheduledExecutorService sender;

    public HealthBeacon(long intervalMs) {
        this.intervalMs = intervalMs;
    }

    /** The storage this node reports on; announced at once on every change. */
    void watch(StorageHealth h) {
        this.health = h;
        send();
    }

    @Override
    public void start() throws Exception {
        super.start();
        sender = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "baton-health-beacon");
            t.setDaemon(true);
            return t;
        });
        sender.scheduleWithFixedDelay(this::send, intervalMs, intervalMs, TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() {
        if (sender != null) {
            sender.shutdownNow();
        }
        super.stop();
    }

    /** Any thread: announce now (on the sender thread). */
    void announce() {
        ScheduledExecutorService s = sender;
        if (s != null) {
            try {
                s.execute(this::send);
            } catch (RuntimeException e) {
                // stopping
            }
        }
    }

    private void send() {
        StorageHealth h = health;
        if (h == null) {
            return;
        }
        StorageFault f = h.fault();
        try {
            down_prot.down(new EmptyMessage(null).putHeader(id, new HealthHeader(f == null ? null : f.reason()))
                    .setFlag(Message.TransientFlag.DONT_LOOPBACK));
        } catch (RuntimeException e) {
            log.debug("health beacon not sent: {}", e.toString());
        }
    }

    /** What {@code memberId} last said of its storage, or null if it said nothing within three intervals. */
    PeerHealth of(String memberId, long nowNanos) {
        PeerHealth p = peers.get(memberId);
        return p == null || nowNanos - p.receivedNanos() > TimeUnit.MILLISECONDS.toNanos(3 * intervalMs) ? null : p;
    }

    /** Nanos since each member's last beacon (a liveness heartbeat every {@code intervalMs}), however old. */
    Map<String, Long> heardAgoNanos(long nowNanos) {
        Map<String, Long> ago = new java.util.HashMap<>();
        peers.forEach((member, p) -> ago.put(member, nowNanos - p.receivedNanos()));
        return ago;
    }

    @Override
    public Object up(Message msg) {
        HealthHeader h = msg.getHeader(id);
        if (h == null) {
            return up_prot.up(msg);
        }
        record(msg.getSrc(), h);
        return null;
    }

    @Override
    public void up(MessageBatch batch) {
        for (Iterator<Message> it = batch.iterator(); it.hasNext();) {
            Message msg = it.next();
            HealthHeader h = msg.getHeader(id);
            if (h != null) {
                record(msg.getSrc(), h);
                it.remove();
            }
        }
        if (!batch.isEmpty()) {
            up_prot.up(batch);
        }
    }

    private void record(Address src, HealthHeader h) {
        String from = LeaseGuard.memberId(src);
        if (from == null) {
            return;
        }
        PeerHealth next = new PeerHealth(h.fault.isEmpty() ? null : h.fault, System.nanoTime());
        PeerHealth before = peers.put(from, next);
        if (before == null || before.healthy() != next.healthy()) {
            if (next.healthy()) {
                log.info("{} reports healthy storage", from);
            } else {
                log.warn("{} reports a storage fault: {}", from, next.fault());
            }
        }
    }
}

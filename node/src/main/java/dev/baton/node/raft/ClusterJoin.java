package dev.baton.node.raft;

import dev.baton.node.config.ConfigException;
import dev.baton.node.config.MemberSpec;
import dev.baton.node.config.NodeConfig;
import dev.baton.node.fencing.FencingTiming;
import dev.baton.node.peer.MemberDirectory;
import dev.baton.node.peer.MemberHosts;
import dev.baton.node.peer.PeerCredentials;
import dev.baton.node.peer.PeerRefusals;
import dev.baton.node.statemachine.KvStateMachine;
import java.io.ByteArrayInputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jgroups.JChannel;
import org.jgroups.protocols.VERIFY_SUSPECT2;
import org.jgroups.protocols.raft.ELECTION2;
import org.jgroups.raft.RaftHandle;
import org.jgroups.stack.ProtocolStack;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds this node's JGroups stack (with Baton's protocols inserted) and joins the cluster. A node
 * restarted right after a crash is refused (NO_DUPES) while its old incarnation is still in the
 * group view, i.e. until failure detection removes it; joining is retried for a while.
 */
final class ClusterJoin {

    private static final Logger log = LoggerFactory.getLogger(ClusterJoin.class);

    /** A joined channel with what runs in it. */
    /** {@code refusals}: the peers refused so far, null without peer TLS (nothing is checked then). */
    /** {@code directory}: the members peer TLS admits, null without peer TLS. */
    record Joined(JChannel channel, RaftHandle handle, ReplicatedKv kv, LeaseGuard lease, HealthBeacon beacon, PortProbe ports,
            PeerRefusals refusals, MemberDirectory directory, ClusterId clusterId) {}

    /** How often each node tells the others whether its storage works (see {@link HealthBeacon}). */
    static final long HEALTH_BEACON_MS = 1_000;

    private ClusterJoin() {}

    /** Peer TLS for every join attempt: loaded once, so bad files fail before the first attempt. */
    private record Tls(PeerCredentials credentials, MemberDirectory directory, PeerRefusals refusals) {}

    static Joined join(NodeConfig config) throws Exception {
        String xml = StackConfig.xml(config);
        ClusterId clusterId = ClusterId.read(config.dataDir());
        Tls tls = peerTls(config);
        long rejoinWindowMs = Math.max(30_000, 10 * (config.detection().fdTimeoutMs() + config.detection().verifySuspectMs()));
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(rejoinWindowMs);
        int attempt = 0;
        while (true) {
            attempt++;
            // a fresh state machine per attempt: starting RAFT replays the log into it
            ReplicatedKv kv = new ReplicatedKv(new KvStateMachine());
            JChannel channel = new JChannel(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
            channel.setName(config.nodeId());
            RaftHandle handle = new RaftHandle(channel, kv).raftId(config.nodeId());
            if (tls != null) {
                BatonTcp transport = (BatonTcp) channel.getProtocolStack().getTransport();
                transport.setSocketFactory(new PeerSocketFactory(tls.credentials(), tls.directory(), tls.refusals()));
                transport.bindMembers(tls.directory(), tls.refusals());
            }
            PortProbe ports = portProbe(config);
            LeaseGuard lease = new LeaseGuard(FencingTiming.of(config.lease()), config.timings(), ports);
            channel.getProtocolStack().insertProtocol(lease, ProtocolStack.Position.BELOW, ELECTION2.class);
            HealthBeacon beacon = new HealthBeacon(HEALTH_BEACON_MS);
            channel.getProtocolStack().insertProtocol(beacon, ProtocolStack.Position.BELOW, LeaseGuard.class);
            channel.getProtocolStack().insertProtocol(new CrashConfirm(ports), ProtocolStack.Position.BELOW, VERIFY_SUSPECT2.class);
            try {
                channel.connect(clusterId.channelName());
                log.info("{} joined cluster '{}' (cluster id {}) as {} (attempt {}), view {}", config.nodeId(),
                        clusterId.channelName(), clusterId, channel.getAddress(), attempt, channel.getView());
                return new Joined(channel, handle, kv, lease, beacon, ports, tls == null ? null : tls.refusals(),
                        tls == null ? null : tls.directory(), clusterId);
            } catch (Exception e) {
                channel.close();
                if (isBindFailure(e)) {
                    throw new ConfigException("--members", "cannot bind the cluster transport of '" + config.nodeId()
                            + "' on " + config.self().raftAddress() + " (or its failure-detection port "
                            + (config.self().raftPort() + 100) + "): " + rootMessage(e), e);
                }
                if (!isDuplicateRejection(e) || System.nanoTime() > deadline) {
                    throw e;
                }
                log.info("{}: join refused while the previous incarnation is still in the view; retrying ({})",
                        config.nodeId(), rootMessage(e));
                Thread.sleep(config.timings().joinRetryMs()); // start-up only: nothing to wait on but the others' failure detectors
            }
        }
    }

    private static Tls peerTls(NodeConfig config) {
        if (config.peerTls() == null) {
            return null;
        }
        MemberDirectory directory = MemberHosts.resolve(config.members());
        PeerRefusals refusals = new PeerRefusals();
        PeerCredentials credentials = PeerCredentials.load(config.peerTls(), config.nodeId(), directory, refusals);
        log.info("{}: peer TLS on, this node's certificate {}; peers need a certificate from the CA in {} naming their member id,"
                + " used from their member's host and transport address", config.nodeId(), credentials.subject(), config.peerTls().caFile());
        return new Tls(credentials, directory, refusals);
    }

    private static PortProbe portProbe(NodeConfig config) {
        Map<String, InetSocketAddress> transports = new HashMap<>();
        for (MemberSpec m : config.members()) {
            transports.put(m.id(), new InetSocketAddress(m.host(), m.raftPort()));
        }
        return new PortProbe(transports, config.nodeId(), config.timings().probeConnectTimeoutMs());
    }

    private static boolean isDuplicateRejection(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SecurityException || (t.getMessage() != null && t.getMessage().contains("duplicate"))) {
                return true;
            }
        }
        return false;
    }

    private static boolean isBindFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.net.BindException) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }
}

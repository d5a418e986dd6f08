package dev.baton.node.raft;

import dev.baton.node.config.Detection;
import dev.baton.node.config.MemberSpec;
import dev.baton.node.config.NodeConfig;
import java.util.stream.Collectors;

/**
 * Renders the JGroups protocol stack for a node as JGroups XML.
 *
 * <p>Why these protocols: TCP + TCPPING need no multicast and work across hosts with a static
 * member list; FD_SOCK2 sees a crashed peer as soon as its socket closes; FD_ALL3 sees a hung or
 * cut-off peer after {@code fdTimeoutMs} without traffic; VERIFY_SUSPECT2 double-checks a
 * suspicion before the peer is dropped; MERGE3 heals partitions; NO_DUPES keeps a restarted node
 * out until its old incarnation has left the view; ELECTION2 adds a pre-vote round; {@link
 * BatonRaft} is RAFT with catch-up under load; REDIRECT is required by jgroups-raft's handle
 * although Baton submits on the leader only. {@link LeaseGuard} is inserted below ELECTION2.
 * The log is {@link ChecksummedLog} (CRC32C per entry and snapshot), not jgroups-raft's
 * {@code FileBasedLog}, which serves whatever bytes are in its file. RAFT's log cache is off
 * ({@code max_log_cache_size="0"}): in 1.1.4 {@code LogCache.append} caches a whole batch even
 * when the log below stored none of it, and RAFT then applies and answers for entries that are on
 * no disk of this node (a leader with a full disk acknowledged such writes).
 *
 * <p>GMS {@code merge_timeout} is 1 s, not 5 s: a merge leader waits half of it for the digests of
 * every member of its own last view, and a node resumed after a pause still lists members that
 * have since excluded it and never answer; with 5 s every merge after a pause took 2.5 s.
 *
 * <p>With peer TLS ({@code --peer-tls-*}) the transport is {@link BatonTcp} and {@link ClusterJoin}
 * gives it {@link PeerSocketFactory}'s sockets. Two sockets stay plain, on purpose:
 * <ul>
 *   <li>FD_SOCK2's server (raft port + 100) runs on NIO channels, which take no TLS. It carries no
 *       cluster data and admits no one: it answers a connect with the cluster name and its own
 *       address, ignores SUSPECT/UNSUSPECT sent over it, and its only effect is that a member whose
 *       connection to its neighbour closes <em>suspects</em> that neighbour, which VERIFY_SUSPECT2
 *       then checks over the TLS transport before anyone is removed.
 *   <li>{@link PortProbe} connects to a peer's transport port and reads nothing: it trusts only
 *       "connection refused". {@link VerifyingServerSocket} closes such a connect quietly.
 * </ul>
 * An attacker who can forge TCP resets on the network can fake a refused probe or a closed
 * FD_SOCK2 connection, i.e. speed up a suspicion; it can equally reset TLS connections. Neither
 * lets a process join the view, vote, or read data.
 */
final class StackConfig {

    private StackConfig() {}

    static String xml(NodeConfig config) {
        MemberSpec self = config.self();
        Detection d = config.detection();
        String initialHosts = config.members().stream()
                .map(m -> m.host() + "[" + m.raftPort() + "]")
                .collect(Collectors.joining(","));
        String raftMembers = String.join(",", config.initialVoters());
        String logDir = config.dataDir().toAbsolutePath().toString();
        return """
                <config xmlns="urn:org:jgroups">
                  <%s bind_addr="%s" bind_port="%d" port_range="0"
                       client_bind_addr="%s" tcp_nodelay="true" diag.enabled="false"
                       bundler_type="org.jgroups.protocols.PerDestinationBundler" sock_conn_timeout="300"
                       thread_pool.min_threads="2" thread_pool.max_threads="64"/>
                  <TCPPING initial_hosts="%s" port_range="0" send_cache_on_join="true"/>
                  <MERGE3 min_interval="%d" max_interval="%d"/>
                  <FD_SOCK2 bind_addr="%s" offset="100" port_range="0"/>
                  <FD_ALL3 timeout="%d" interval="%d"/>
                  <VERIFY_SUSPECT2 timeout="%d"/>
                  <pbcast.NAKACK2 xmit_interval="100" use_mcast_xmit="false"/>
                  <UNICAST3 xmit_interval="100"/>
                  <pbcast.STABLE desired_avg_gossip="5000" max_bytes="4M"/>
                  <raft.NO_DUPES/>
                  <pbcast.GMS print_local_addr="false" join_timeout="2000" max_join_attempts="10"
                              view_ack_collection_timeout="1000" merge_timeout="1000"/>
                  <UFC max_credits="4M" min_threshold="0.4"/>
                  <MFC max_credits="4M" min_threshold="0.4"/>
                  <FRAG4 frag_size="60000"/>
                  <raft.ELECTION2/>
                  <dev.baton.node.raft.BatonRaft members="%s" raft_id="%s" log_dir="%s"
                             log_class="dev.baton.node.raft.ChecksummedLog" log_args="%s=%s"
                             log_use_fsync="%s" max_log_size="%d" max_log_cache_size="0" resend_interval="%d"
                             eager_repeat_ms="%d"/>
                  <raft.REDIRECT/>
                </config>
                """.formatted(
                        config.peerTls() == null ? "TCP" : BatonTcp.class.getName(),
                        xmlAttr(self.host()), self.raftPort(), xmlAttr(self.host()),
                        xmlAttr(initialHosts),
                        d.mergeMinMs(), d.mergeMaxMs(),
                        xmlAttr(self.host()),
                        d.fdTimeoutMs(), d.fdIntervalMs(),
                        d.verifySuspectMs(),
                        xmlAttr(raftMembers), xmlAttr(config.nodeId()), xmlAttr(logDir),
                        ChecksummedLog.REPAIR, config.repairLog(),
                        config.fsync(), config.snapshotLogBytes(), config.timings().resendIntervalMs(),
                        config.timings().catchUpRepeatMs());
    }

    private static String xmlAttr(String s) {
        return s.replace("&", "&amp;").replace("\"", "&quot;").replace("<", "&lt;").replace(">", "&gt;");
    }
}

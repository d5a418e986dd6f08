package dev.baton.node.raft;

import dev.baton.node.NotLeaderException;
import dev.baton.node.config.MemberSpec;
import dev.baton.node.config.NodeConfig;
import dev.baton.node.membership.MemberChanges;
import dev.baton.node.peer.MemberDirectory;
import dev.baton.node.peer.MemberHosts;
import dev.baton.node.role.Role;
import dev.baton.node.role.RoleView;
import dev.baton.node.statemachine.ClusterMember;
import dev.baton.node.statemachine.Command;
import dev.baton.node.statemachine.MemberTable;
import dev.baton.node.statemachine.Result;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jgroups.JChannel;
import org.jgroups.PhysicalAddress;
import org.jgroups.protocols.TCPPING;
import org.jgroups.stack.IpAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Membership changes on a running cluster, and what follows from the replicated member table.
 *
 * <p>Two lists are kept in step: Raft's voters (jgroups-raft's {@code addServer}/{@code
 * removeServer}, committed through the log) and Baton's {@link MemberTable} (ids, addresses and
 * status, also committed through the log, so every node, the client and the status page learn a
 * new member's addresses). The order makes every interruption recoverable by the next leader:
 * <ul>
 *   <li>add: the table gains the newcomer as JOINING (a learner: it receives the log, votes for
 *       nothing, counts for no commit); once it is in the view and caught up, the leader makes it
 *       a Raft voter, then marks it VOTER in the table. A leader that finds a JOINING member that
 *       already votes only marks it.
 *   <li>remove: the leader removes the Raft voter first, then the table row. A leader that finds a
 *       VOTER row without a Raft voter completes the removal.
 * </ul>
 * The ACTIVE is never removed while it leads: it hands over first, and the caller asks the new
 * leader again.
 *
 * <p>Threads: one {@code baton-members} thread runs every change and the periodic reconciliation
 * on the leader, so changes never interleave; the table's subscribers (port probe, discovery
 * hosts, self-removal check) run there too. Apply threads only hand the news on.
 */
final class Membership implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Membership.class);
    /** A joiner this many entries or fewer behind the leader counts as caught up. */
    static final long CAUGHT_UP_ENTRIES = 50;
    private static final long RECONCILE_MS = 250;

    /** What the driver needs of the rest of the node. */
    interface Host {
        RoleView view();

        CompletableFuture<Result> submit(Command command);

        /** Hands leadership to another voter; completes once someone else leads. */
        CompletableFuture<?> handOver();

        /** This node was removed from the member table: stop serving, saying {@code why}. */
        void removed(String why);
    }

    private final NodeConfig config;
    private final BatonRaft raft;
    private final JChannel channel;
    private final ReplicatedKv kv;
    private final PortProbe ports;
    private final Host host;
    private final long changeTimeoutMs;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "baton-members");
        t.setDaemon(true);
        return t;
    });
    private volatile List<ClusterMember> current;
    private boolean wasMember; // baton-members thread: this node has been in an applied table
    private boolean removedReported;

    private final MemberDirectory directory; // null without peer TLS

    Membership(NodeConfig config, BatonRaft raft, JChannel channel, ReplicatedKv kv, PortProbe ports, MemberDirectory directory,
            Host host) {
        this.directory = directory;
        this.config = config;
        this.raft = raft;
        this.channel = channel;
        this.kv = kv;
        this.ports = ports;
        this.host = host;
        this.changeTimeoutMs = Math.max(5_000, config.requestTimeoutMs());
        this.current = effective();
        kv.onMembers(() -> thread.execute(this::tableChanged));
        thread.execute(this::tableChanged);
        thread.scheduleWithFixedDelay(this::reconcileQuietly, RECONCILE_MS, RECONCILE_MS, TimeUnit.MILLISECONDS);
    }

    /** The members as of the last applied table (the configured ones before the first change). */
    List<ClusterMember> current() {
        return current;
    }

    /** Adds {@code spec} as a joining member; completes once the change is committed. Leader only. */
    CompletableFuture<List<ClusterMember>> add(MemberSpec spec) {
        return onThread(() -> {
            requireActive("add a member");
            List<ClusterMember> next = MemberChanges.add(effective(), spec);
            commit(next, "add " + spec.id());
            log.info("{}: added {} as a joining member ({}:{}, http {}); it becomes a voter once it has caught up",
                    config.nodeId(), spec.id(), spec.host(), spec.raftPort(), spec.httpPort());
            return next;
        });
    }

    /** Removes member {@code id}; completes once it is gone from the voters and the table. Leader only. */
    CompletableFuture<List<ClusterMember>> remove(String id) {
        if (id.equals(config.nodeId())) {
            RoleView v = host.view();
            if (!v.leads()) {
                return CompletableFuture.failedFuture(new NotLeaderException(config.nodeId() + " is not the leader"));
            }
            // the ACTIVE leaves the voters only as a follower: hand over, then the new leader removes it
            log.info("{}: asked to remove itself while leading: handing over first", config.nodeId());
            return host.handOver().thenCompose(t -> CompletableFuture.failedFuture(new NotLeaderException(
                    config.nodeId() + " handed over before its removal; ask the new leader to remove it")));
        }
        return onThread(() -> {
            requireActive("remove a member");
            List<ClusterMember> members = effective();
            List<ClusterMember> next = MemberChanges.remove(members, id, reachable());
            if (raft.members().contains(id)) {
                raft.removeServer(id).get(changeTimeoutMs, TimeUnit.MILLISECONDS);
            }
            commit(next, "remove " + id);
            log.info("{}: removed member {}", config.nodeId(), id);
            return next;
        });
    }

    private interface Step<T> {
        T run() throws Exception;
    }

    private <T> CompletableFuture<T> onThread(Step<T> step) {
        CompletableFuture<T> f = new CompletableFuture<>();
        thread.execute(() -> {
            try {
                f.complete(step.run());
            } catch (Throwable e) {
                f.completeExceptionally(e instanceof java.util.concurrent.ExecutionException ? e.getCause() : e);
            }
        });
        return f;
    }

    private void requireActive(String what) {
        RoleView v = host.view();
        if (!v.leads() || v.role() != Role.ACTIVE) {
            throw new NotLeaderException(config.nodeId() + " cannot " + what + ": it is not the ACTIVE (role " + v.role() + ")");
        }
    }

    private void commit(List<ClusterMember> members, String change) throws Exception {
        Result r = host.submit(new Command.SetMembers(members, change)).get(changeTimeoutMs, TimeUnit.MILLISECONDS);
        if (r instanceof Result.Rejected rejected) {
            throw new IllegalStateException("member change '" + change + "' was refused: " + rejected.reason());
        }
    }

    private List<ClusterMember> effective() {
        MemberTable table = kv.read(sm -> sm.members());
        return MemberChanges.effective(table, config.members(), config.initialVoters());
    }

    /** Ids this node hears from now: itself and the members in its view. */
    private Set<String> reachable() {
        Set<String> ids = ViewIds.of(channel.getView());
        ids.add(config.nodeId());
        return ids;
    }

    private void reconcileQuietly() {
        try {
            reconcile();
        } catch (Exception e) {
            log.warn("{}: membership reconciliation failed: {}", config.nodeId(), e.toString());
        }
    }

    /** Leader: moves a joined member on (learner → voter) and completes changes a former leader left half done. */
    private void reconcile() throws Exception {
        RoleView v = host.view();
        if (!v.leads() || v.role() != Role.ACTIVE) {
            return; // an ACTIVE has applied every earlier entry (its no-op is committed): its table is current
        }
        MemberTable table = kv.read(sm -> sm.members());
        if (table.isEmpty()) {
            return; // never changed: the configured members are Raft's voters
        }
        List<String> voters = raft.members();
        for (ClusterMember m : table.members()) {
            if (m.status() == ClusterMember.Status.JOINING) {
                if (!voters.contains(m.id())) { // else a former leader made it a voter: only the row is left to mark
                    Long lag = raft.followerLag().get(m.id());
                    Set<String> reachable = reachable();
                    if (lag == null || lag > CAUGHT_UP_ENTRIES || !reachable.contains(m.id())
                            || !MemberChanges.promotionKeepsQuorum(table.members(), m.id(), reachable)) {
                        continue; // not caught up yet, or its vote would be needed before it can give one
                    }
                    log.info("{}: {} has caught up ({} entries behind): making it a voter", config.nodeId(), m.id(), lag);
                    raft.addServer(m.id()).get(changeTimeoutMs, TimeUnit.MILLISECONDS);
                }
                commit(MemberChanges.promote(table.members(), m.id()), "promote " + m.id());
                log.info("{}: {} is a voter now", config.nodeId(), m.id());
                return;
            } else if (!voters.contains(m.id())) {
                List<ClusterMember> next = table.members().stream().filter(x -> !x.id().equals(m.id())).toList();
                commit(next, "remove " + m.id());
                log.info("{}: completed the removal of {} (no longer a Raft voter)", config.nodeId(), m.id());
                return;
            }
        }
    }

    /** baton-members thread: a table was applied (or a snapshot installed). */
    private void tableChanged() {
        List<ClusterMember> members = effective();
        current = members;
        Map<String, InetSocketAddress> transports = new HashMap<>();
        for (ClusterMember m : members) {
            transports.put(m.id(), new InetSocketAddress(m.host(), m.raftPort()));
        }
        ports.update(transports);
        updateDiscovery(members);
        if (directory != null) {
            try {
                directory.replace(MemberHosts.members(members.stream().map(MemberChanges::spec).toList()));
            } catch (RuntimeException e) {
                log.error("{}: peer TLS keeps the members it had: {}", config.nodeId(), e.getMessage());
            }
        }
        boolean member = members.stream().anyMatch(m -> m.id().equals(config.nodeId()));
        if (member) {
            wasMember = true;
        } else if (wasMember && !removedReported && caughtUp()) {
            removedReported = true;
            String change = kv.read(sm -> sm.members().lastChange());
            host.removed(config.nodeId() + " was removed from the cluster (" + change + "); it stops serving. To bring it back,"
                    + " add it again with 'baton members add' and start it with an empty data dir and --join");
        } else if (wasMember && !removedReported) {
            // replaying or catching up: an old removal may be followed by a newer add; look again
            thread.schedule(this::tableChanged, 500, TimeUnit.MILLISECONDS);
        }
    }

    /** Whether this node has applied what its leader told it is committed (an old table read while catching up is not final). */
    private boolean caughtUp() {
        return raft.isLeader() || raft.commitIndex() + CAUGHT_UP_ENTRIES >= raft.leaderCommitHeard();
    }

    /** TCPPING's hosts: every member, so that a node that restarts or merges finds the new ones too. */
    private void updateDiscovery(List<ClusterMember> members) {
        TCPPING ping = channel.getProtocolStack().findProtocol(TCPPING.class);
        if (ping == null) {
            return;
        }
        try {
            List<PhysicalAddress> hosts = new java.util.ArrayList<>();
            for (ClusterMember m : members) {
                hosts.add(new IpAddress(m.host(), m.raftPort()));
            }
            ping.setInitialHosts2(hosts);
        } catch (Exception e) {
            log.warn("{}: cannot update the discovery hosts: {}", config.nodeId(), e.toString());
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}

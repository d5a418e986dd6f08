package dev.baton.node.raft;

import dev.baton.node.Consensus;
import dev.baton.node.Failures;
import dev.baton.node.NotLeaderException;
import dev.baton.node.config.ConfigException;
import dev.baton.node.config.LeaseTiming;
import dev.baton.node.config.MemberSpec;
import dev.baton.node.config.NodeConfig;
import dev.baton.node.config.Operations;
import dev.baton.node.role.ConsensusState;
import dev.baton.node.role.Role;
import dev.baton.node.role.RoleListener;
import dev.baton.node.role.RolePolicy;
import dev.baton.node.role.RoleState;
import dev.baton.node.role.RoleTracker;
import dev.baton.node.role.RoleView;
import dev.baton.node.statemachine.Command;
import dev.baton.node.statemachine.ClusterControl;
import dev.baton.node.statemachine.CommandCodec;
import dev.baton.node.statemachine.KvStateMachine;
import dev.baton.node.statemachine.Result;
import java.io.ByteArrayInputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jgroups.Address;
import org.jgroups.JChannel;
import org.jgroups.View;
import org.jgroups.protocols.raft.ELECTION2;
import org.jgroups.protocols.VERIFY_SUSPECT2;
import org.jgroups.protocols.raft.RAFT;
import org.jgroups.raft.Options;
import org.jgroups.raft.RaftHandle;
import org.jgroups.raft.util.Utils;
import org.jgroups.stack.ProtocolStack;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Consensus} on a JGroups channel running jgroups-raft 1.1.4.
 *
 * <p>Threading: jgroups-raft applies entries and runs role changes on its own threads. The local
 * role is derived on one thread, {@code baton-role} (owner of the {@link RoleTracker}), which polls
 * the Raft state every {@link #POLL_MS} ms and also runs at once on a jgroups-raft role change:
 * jgroups-raft tells only the local node's own role changes, so a follower learns of a new leader
 * and term only by looking.
 *
 * <p>Becoming ACTIVE: when this node becomes leader of term T, the role thread submits a {@link
 * Command.Noop} for T; the node is ACTIVE only once that no-op is applied here, because a new
 * jgroups-raft leader commits nothing of its own term and its state machine can lag the committed
 * log until it does (Raft §5.4.2, §8).
 */
public final class RaftConsensus implements Consensus {

    private static final Logger log = LoggerFactory.getLogger(RaftConsensus.class);

    static final long POLL_MS = 20;

    private final NodeConfig config;
    private final JChannel channel;
    private final RAFT raft;
    private final ReplicatedKv kv;
    private final LeaseGuard lease;
    private final Switchover switchover;
    private final RoleTracker tracker;
    private final ScheduledExecutorService roleThread;
    private volatile long noopSubmittedTerm;
    private volatile long promotedTerm;
    private volatile long steppedDownTerm;
    private volatile boolean handoverInFlight;
    private volatile long lastHandoverAttemptNanos = System.nanoTime() - TimeUnit.SECONDS.toNanos(10); // a term in which this node was ACTIVE: needs no new approval
    private volatile boolean closed;
    private final long grantNanos;
    private String announcedLeader; // role thread: the leader last named for announcedTerm
    private long announcedTerm;
    private long announcedAtNanos;
    private final java.util.concurrent.ExecutorService switchoverThread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "baton-switchover");
        t.setDaemon(true);
        return t;
    });

    private RaftConsensus(NodeConfig config, JChannel channel, RaftHandle handle, ReplicatedKv kv, LeaseGuard lease,
            List<RoleListener> listeners) {
        this.config = config;
        this.channel = channel;
        this.raft = handle.raft();
        this.kv = kv;
        this.lease = lease;
        this.tracker = new RoleTracker(config.nodeId(), System.nanoTime());
        this.grantNanos = TimeUnit.MILLISECONDS.toNanos(config.lease().grantMs());
        this.roleThread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "baton-role");
            t.setDaemon(true);
            return t;
        });
        this.switchover = new Switchover(config, raft, channel, lease, new Switchover.Host() {
            @Override
            public RoleState role() {
                return RaftConsensus.this.role();
            }

            @Override
            public RoleState trackedRole() {
                return tracker.current();
            }

            @Override
            public CompletableFuture<Result> submit(Command command) {
                return RaftConsensus.this.submit(command);
            }

            @Override
            public void surrender(long term) {
                steppedDownTerm = term;
                lease.surrender(term);
                refreshRole();
            }

            @Override
            public String notLeaderMessage() {
                return RaftConsensus.this.notLeaderMessage();
            }
        });
        listeners.forEach(tracker::addListener); // before the first evaluation: no transition is missed
        handle.addRoleListener(role -> roleThread.execute(this::evaluate));
        roleThread.scheduleWithFixedDelay(this::evaluate, 0, POLL_MS, TimeUnit.MILLISECONDS);
    }

    /**
     * Joins the cluster. A node restarted right after a crash is refused (NO_DUPES) while its old
     * incarnation is still in the group view, i.e. until failure detection removes it; joining is
     * retried until {@code rejoinDeadlineMs}.
     */
    public static RaftConsensus start(NodeConfig config) throws Exception {
        return start(config, List.of());
    }

    /** As {@link #start(NodeConfig)}, with listeners that see every role transition from the first one. */
    public static RaftConsensus start(NodeConfig config, List<RoleListener> listeners) throws Exception {
        String xml = StackConfig.xml(config);
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
            PortProbe ports = portProbe(config);
            LeaseGuard lease = leaseGuard(config, ports);
            channel.getProtocolStack().insertProtocol(lease, ProtocolStack.Position.BELOW, ELECTION2.class);
            channel.getProtocolStack().insertProtocol(new CrashConfirm(ports), ProtocolStack.Position.BELOW, VERIFY_SUSPECT2.class);
            try {
                channel.connect(StackConfig.CLUSTER_NAME);
                log.info("{} joined cluster '{}' as {} (attempt {}), view {}", config.nodeId(), StackConfig.CLUSTER_NAME,
                        channel.getAddress(), attempt, channel.getView());
                return new RaftConsensus(config, channel, handle, kv, lease, listeners);
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
                Thread.sleep(200);
            }
        }
    }

    private static PortProbe portProbe(NodeConfig config) {
        Map<String, InetSocketAddress> transports = new HashMap<>();
        for (MemberSpec m : config.members()) {
            transports.put(m.id(), new InetSocketAddress(m.host(), m.raftPort()));
        }
        return new PortProbe(transports, config.nodeId());
    }

    private static LeaseGuard leaseGuard(NodeConfig config, PortProbe ports) {
        LeaseTiming t = config.lease();
        return new LeaseGuard(t.leaseMs(), t.renewMs(), t.grantMs(), ports);
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

    private void evaluate() {
        if (closed) {
            return;
        }
        try {
            long term = raft.currentTerm();
            Address leader = raft.leader();
            boolean self = leader != null && leader.equals(channel.getAddress());
            String leaderId = leader == null ? null : Utils.extractRaftId(leader);
            long ready = kv.read(KvStateMachine::lastNoopTerm);
            if (self && ready < term && noopSubmittedTerm < term) {
                submitNoop(term);
            }
            long now = System.nanoTime();
            boolean leaseHeld = self && lease.holds(term, now);
            ClusterControl control = kv.read(KvStateMachine::control);
            boolean needsApproval = config.ops().failover() == Operations.Failover.MANUAL
                    || control.maintenanceAt(System.currentTimeMillis())
                    || config.ops().noFailover();
            boolean approved = !config.ops().noFailover()
                    && (control.approves(config.nodeId(), term) || promotedTerm == term);
            RoleState previous = tracker.current();
            boolean ledThisTerm = previous.term() == term && (previous.role() == Role.ACTIVE || previous.role() == Role.FENCED);
            Role role = RolePolicy.decide(new ConsensusState(term, leaderId, self, ready, leaseHeld, needsApproval, approved, ledThisTerm));
            if (role == Role.ACTIVE) {
                promotedTerm = term;
            }
            long at = now;
            if (previous.role() == Role.ACTIVE && role != Role.ACTIVE) {
                // the ACTIVE interval ended when the lease ran out, even if this thread notices later
                // (e.g. after SIGCONT, possibly when a higher term has already arrived)
                long expiry = lease.expiryNanos();
                if (expiry - now < 0 && expiry - previous.monotonicNanos() > 0) {
                    at = expiry;
                }
            }
            String followed = role == Role.FENCED ? null : leaderId;
            tracker.update(role, term, followed, !self && leaderLive(followed, term, now), at);
            if (role == Role.PENDING_APPROVAL && config.ops().noFailover() && !handoverInFlight
                    && now - lastHandoverAttemptNanos > TimeUnit.MILLISECONDS.toNanos(NO_FAILOVER_RETRY_MS)) {
                handOverBecauseNoFailover(term, now);
            }
        } catch (RuntimeException e) {
            log.warn("role evaluation failed", e);
        }
    }

    /**
     * Whether the leader this follower knows for {@code term} can still be acting as the ACTIVE:
     * heard from in this term, or first named, within the promise grant. A leader can hold no lease
     * longer than that past the last message a follower had from it, so a silent one is not named
     * to clients any more (its successor follows within about one failure-detection timeout).
     * Role thread only.
     */
    private boolean leaderLive(String leaderId, long term, long now) {
        if (leaderId == null) {
            announcedLeader = null;
            return false;
        }
        if (!leaderId.equals(announcedLeader) || term != announcedTerm) {
            // named now, maybe by the election's coordinator before any message of its own arrived
            announcedLeader = leaderId;
            announcedTerm = term;
            announcedAtNanos = now;
        }
        long heard = lease.sinceHeardFrom(leaderId, term, now);
        long since = heard < 0 ? now - announcedAtNanos : Math.min(heard, now - announcedAtNanos);
        return since <= grantNanos;
    }

    /**
     * Elected although marked no-failover: hand over to the preferred or most caught-up follower.
     * Runs after the role update (the switchover checks the role) and is retried while this node
     * stays the pending leader.
     */
    private void handOverBecauseNoFailover(long term, long now) {
        handoverInFlight = true;
        lastHandoverAttemptNanos = now;
        log.info("{} is marked no-failover: handing term {} over", config.nodeId(), term);
        // automatic, so not pre-approved: in manual mode or maintenance the successor still waits
        CompletableFuture.supplyAsync(() -> switchover.run(null, false), switchoverThread).whenComplete((t, e) -> {
            handoverInFlight = false;
            if (e != null) {
                log.warn("no-failover hand-over of term {} failed (retrying while pending): {}", term, e.toString());
            }
        });
    }

    static final long NO_FAILOVER_RETRY_MS = 1000;

    private void submitNoop(long term) {
        noopSubmittedTerm = term;
        long submitted = System.nanoTime();
        submit(new Command.Noop(term, config.nodeId()))
                .orTimeout(config.requestTimeoutMs(), TimeUnit.MILLISECONDS)
                .whenComplete((r, e) -> {
                    if (e == null) {
                        lease.committed(term, submitted);
                    } else {
                        log.info("no-op for term {} not committed ({}); will retry while leader", term, e.toString());
                        noopSubmittedTerm = 0;
                    }
                    if (!closed) {
                        roleThread.execute(this::evaluate);
                    }
                });
    }

    @Override
    public CompletableFuture<Result> submit(Command command) {
        if (!raft.isLeader()) {
            return CompletableFuture.failedFuture(new NotLeaderException(notLeaderMessage()));
        }
        byte[] bytes = CommandCodec.encode(command);
        CompletableFuture<byte[]> f;
        try {
            f = raft.setAsync(bytes, 0, bytes.length, Options.DEFAULT_OPTIONS);
        } catch (IllegalStateException e) {
            return CompletableFuture.failedFuture(new NotLeaderException(notLeaderMessage()));
        }
        return f.handle((bytesOut, e) -> {
            if (e != null) {
                // appended but not confirmed: the entry may still commit under a later leader
                throw new CompletionException(Failures.cause(e));
            }
            return CommandCodec.decodeResult(bytesOut);
        });
    }

    private String notLeaderMessage() {
        RoleState r = tracker.current();
        return config.nodeId() + " is not the leader (role " + r.role() + ", term " + r.term() + ", leader "
                + (r.leaderId() == null ? "unknown" : r.leaderId()) + ")";
    }

    /**
     * The role as of now: an ACTIVE whose lease ran out since the role thread last looked is
     * reported FENCED at once, so a process resumed after a pause never answers as ACTIVE on an
     * expired lease.
     */
    @Override
    public RoleView view() {
        RoleView v = tracker.view();
        long now = System.nanoTime();
        if (v.role() == Role.ACTIVE && !lease.holds(v.term(), now)) {
            if (!closed) {
                roleThread.execute(this::evaluate);
            }
            return new RoleView(new RoleState(Role.FENCED, v.term(), null, now), false);
        }
        return v;
    }

    @Override
    public void addViewListener(Consumer<RoleView> listener) {
        tracker.addViewListener(listener);
    }

    @Override
    public ClusterControl control() {
        return kv.read(KvStateMachine::control);
    }

    @Override
    public long leaderContactAgeMs() {
        RoleState r = role();
        if (r.role() == Role.ACTIVE) {
            return 0;
        }
        long since = lease.sinceLeaderContactNanos(System.nanoTime());
        return r.leaderId() == null || since < 0 ? -1 : TimeUnit.NANOSECONDS.toMillis(since);
    }

    @Override
    public Result readLocal(Command query) {
        if (!(query instanceof Command.Get) && !(query instanceof Command.ListPrefix)) {
            throw new IllegalArgumentException("only GET and LIST can be read locally, not " + query);
        }
        return kv.read(m -> m.apply(query));
    }

    @Override
    public void addRoleListener(RoleListener listener) {
        tracker.addListener(listener);
    }

    @Override
    public long commitIndex() {
        return raft.commitIndex();
    }

    /** jgroups-raft advances its commit index only after applying, so the two coincide here. */
    @Override
    public long appliedIndex() {
        return raft.commitIndex();
    }

    @Override
    public long revision() {
        return kv.read(KvStateMachine::revision);
    }

    @Override
    public List<MemberState> members() {
        Set<String> connected = new HashSet<>();
        View view = channel.getView();
        if (view != null) {
            for (Address a : view.getMembers()) {
                String id = Utils.extractRaftId(a);
                if (id != null) {
                    connected.add(id);
                }
            }
        }
        List<MemberState> out = new ArrayList<>();
        for (String id : config.memberIds()) {
            out.add(new MemberState(id, connected.contains(id)));
        }
        return out;
    }

    /**
     * Gives up leadership before leaving: the lease is surrendered first and the role thread has
     * reported the demotion (listeners and hooks are told) when this returns. The followers are
     * told only by {@link #releaseFollowers()}, so a demotion hook can finish before a successor
     * can be elected.
     */
    @Override
    public boolean stepDown() {
        if (!raft.isLeader()) {
            return false;
        }
        long term = raft.currentTerm();
        steppedDownTerm = term;
        lease.surrender(term);
        log.info("{} stepping down from term {}", config.nodeId(), term);
        refreshRole();
        return true;
    }

    @Override
    public void releaseFollowers() {
        if (steppedDownTerm > 0) {
            lease.releaseFollowers(steppedDownTerm);
        }
    }

    /** See {@link Switchover}. */
    @Override
    public CompletableFuture<Transfer> transfer(String requested) {
        return CompletableFuture.supplyAsync(() -> switchover.run(requested, true), switchoverThread);
    }

    private void refreshRole() {
        try {
            roleThread.submit(this::evaluate).get(1, TimeUnit.SECONDS);
        } catch (Exception e) {
            log.warn("role update did not finish: {}", e.toString());
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        roleThread.shutdownNow();
        switchoverThread.shutdownNow();
        channel.close();
        log.info("{} left the cluster", config.nodeId());
    }
}

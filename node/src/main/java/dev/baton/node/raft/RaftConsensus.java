package dev.baton.node.raft;

import dev.baton.node.Consensus;
import dev.baton.node.Failures;
import dev.baton.node.NotLeaderException;
import dev.baton.node.config.MemberSpec;
import dev.baton.node.config.NodeConfig;
import dev.baton.node.fencing.FencingView;
import dev.baton.node.health.PeerHealth;
import dev.baton.node.health.StorageFault;
import dev.baton.node.health.StorageHealth;
import dev.baton.node.metrics.StorageObserver;
import dev.baton.node.peer.PeerRefusals;
import dev.baton.node.role.Role;
import dev.baton.node.role.RoleListener;
import dev.baton.node.role.RoleState;
import dev.baton.node.role.RoleTracker;
import dev.baton.node.role.RoleView;
import dev.baton.node.statemachine.ClusterControl;
import dev.baton.node.statemachine.ClusterMember;
import dev.baton.node.statemachine.Command;
import dev.baton.node.statemachine.CommandCodec;
import dev.baton.node.statemachine.KvStateMachine;
import dev.baton.node.statemachine.Result;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jgroups.JChannel;
import org.jgroups.raft.Options;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Consensus} on a JGroups channel running jgroups-raft 1.1.4.
 *
 * <p>Who owns what: the role belongs to the {@code baton-role} thread ({@link RoleOwner}), the
 * lease and the promises to {@code baton-lease} ({@link LeaseGuard} and its fencing core), a
 * hand-over in progress to {@code baton-switchover} ({@link Switchover}); jgroups-raft applies
 * entries on its own threads. This class holds no mutable state of its own but the closed flag:
 * it answers from the published views and passes requests on.
 */
public final class RaftConsensus implements Consensus {

    private static final Logger log = LoggerFactory.getLogger(RaftConsensus.class);
    /** How often a node with a storage fault retries idle writes (see {@link StorageProbe}). */
    private static final long STORAGE_PROBE_MS = 1_000;

    private final NodeConfig config;
    private final JChannel channel;
    private final BatonRaft raft;
    private final ReplicatedKv kv;
    private final LeaseGuard lease;
    private final RoleTracker tracker;
    private final RoleOwner roles;
    private final Switchover switchover;
    private final StorageHealth health;
    private final StorageProbe probe;
    private final HealthBeacon beacon;
    private final PeerRefusals refusals; // null without peer TLS
    private final TermFacts termFacts;
    private final Membership membership;
    private volatile Consumer<String> onRemoved = why -> log.error("{}", why);
    private final ClusterId clusterId;
    private volatile boolean closed;

    private RaftConsensus(NodeConfig config, ClusterJoin.Joined joined, List<RoleListener> listeners) {
        this.config = config;
        this.channel = joined.channel();
        this.raft = (BatonRaft) joined.handle().raft();
        this.kv = joined.kv();
        this.lease = joined.lease();
        this.tracker = new RoleTracker(config.nodeId(), System.nanoTime());
        if (!(raft.log() instanceof ChecksummedLog storage)) {
            // StackConfig sets it as RAFT.log_class with the log cache off: health and honest acks depend on it
            throw new IllegalStateException("RAFT's log is " + raft.log().getClass().getName() + ", not ChecksummedLog");
        }
        this.health = storage.health();
        this.roles = new RoleOwner(config, channel, raft, kv, lease, tracker, health);
        this.beacon = joined.beacon();
        this.refusals = joined.refusals();
        this.termFacts = new TermFacts(config.nodeId(), joined.ports());
        this.clusterId = joined.clusterId();
        health.onChange(() -> {
            roles.poke();
            beacon.announce();
        });
        beacon.watch(health);
        this.probe = new StorageProbe(storage, health, STORAGE_PROBE_MS);
        this.switchover = new Switchover(config, raft, channel, lease, new Switchover.Host() {
            @Override
            public boolean leads(long term, boolean surrendered) {
                if (surrendered) {
                    return lease.fencing().surrenderedTerm() == term;
                }
                RoleView v = view();
                return v.leads() && v.term() == term;
            }

            @Override
            public CompletableFuture<Result> submit(Command command) {
                return RaftConsensus.this.submit(command);
            }

            @Override
            public void surrender(long term) {
                lease.surrender(term);
                roles.refresh();
            }

            @Override
            public String notLeaderMessage() {
                return RaftConsensus.this.notLeaderMessage();
            }

            @Override
            public String faultOf(String memberId) {
                PeerHealth p = beacon.of(memberId, System.nanoTime());
                return p == null ? null : p.fault();
            }
        });
        this.membership = new Membership(config, raft, channel, kv, joined.ports(), joined.directory(), new Membership.Host() {
            @Override
            public RoleView view() {
                return RaftConsensus.this.view();
            }

            @Override
            public CompletableFuture<Result> submit(Command command) {
                return RaftConsensus.this.submit(command);
            }

            @Override
            public CompletableFuture<?> handOver() {
                return switchover.start(null, true, false);
            }

            @Override
            public void removed(String why) {
                onRemoved.accept(why);
            }
        });
        listeners.forEach(tracker::addListener); // before the first evaluation: no transition is missed
        tracker.addViewListener(v -> switchover.observe()); // a hand-over waits for the new leader
        joined.handle().addRoleListener(role -> roles.poke());
        roles.start(new RoleOwner.Leader() {
            @Override
            public CompletableFuture<Void> commitNoop(long term, boolean awaitingApproval) {
                return termFacts.gather(term, lease.fencing(), awaitingApproval).thenCompose(facts -> {
                    long submitted = System.nanoTime();
                    return submit(new Command.Noop(term, config.nodeId(), facts))
                            .orTimeout(config.requestTimeoutMs(), TimeUnit.MILLISECONDS)
                            .thenCompose(r -> lease.committed(term, submitted));
                });
            }

            @Override
            public CompletableFuture<?> handOverNoFailover(long term) {
                return switchover.start(null, false, false);
            }
        });
    }

    /** Joins the cluster (see {@link ClusterJoin}). */
    public static RaftConsensus start(NodeConfig config) throws Exception {
        return start(config, List.of());
    }

    /** As {@link #start(NodeConfig)}, with listeners that see every role transition from the first one. */
    public static RaftConsensus start(NodeConfig config, List<RoleListener> listeners) throws Exception {
        return new RaftConsensus(config, ClusterJoin.join(config), listeners);
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
     * The view as of now: an ACTIVE whose lease ran out since the role thread last looked is
     * reported FENCED at once, so a process resumed after a pause never answers as ACTIVE on an
     * expired lease.
     */
    @Override
    public RoleView view() {
        RoleView v = tracker.view();
        long now = System.nanoTime();
        if (v.role() == Role.ACTIVE && !lease.fencing().leaseHolds(v.term(), now)) {
            roles.poke();
            return new RoleView(new RoleState(Role.FENCED, v.term(), null, now), false);
        }
        return v;
    }

    @Override
    public void addViewListener(Consumer<RoleView> listener) {
        tracker.addViewListener(listener);
    }

    @Override
    public void addRoleListener(RoleListener listener) {
        tracker.addListener(listener);
    }

    /** Transitions that broke a rule of Raft since start (see {@code RoleTransitions}). */
    public long illegalTransitions() {
        return tracker.illegalTransitions();
    }

    @Override
    public String clusterId() {
        return clusterId.value();
    }

    /**
     * A read through the log first (the barrier: once it is applied here, so is every write
     * acknowledged before this call, §6.4 of the Raft dissertation), then the state as of the
     * commit index the runner thread finds next ({@link BatonRaft#exportState}), which is at or
     * after the barrier's.
     */
    @Override
    public CompletableFuture<StateExport> exportState() {
        return submit(new Command.Get(""))
                .orTimeout(config.requestTimeoutMs(), TimeUnit.MILLISECONDS)
                .thenCompose(barrier -> raft.exportState())
                .orTimeout(2L * config.requestTimeoutMs(), TimeUnit.MILLISECONDS);
    }

    @Override
    public History history(int limit) {
        return kv.read(sm -> new History(sm.history().newest(limit), raft.commitIndex()));
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
        FencingView f = lease.fencing();
        long since = f.promisedTo() == null ? -1 : System.nanoTime() - f.lastHeardNanos();
        return r.leaderId() == null || since < 0 ? -1 : TimeUnit.NANOSECONDS.toMillis(since);
    }

    @Override
    public long leaseRemainingMs() {
        RoleView v = tracker.view();
        FencingView f = lease.fencing();
        if (!raft.isLeader() || !f.leaseHeld() || f.leaseTerm() != v.term()) {
            return -1;
        }
        return Math.max(0, TimeUnit.NANOSECONDS.toMillis(f.leaseExpiryNanos() - System.nanoTime()));
    }

    @Override
    public Map<String, Long> followerLagEntries() {
        Map<String, Long> lag = new TreeMap<>(raft.followerLag());
        lag.remove(config.nodeId());
        lag.keySet().retainAll(memberIds());
        return lag;
    }

    @Override
    public Map<String, Long> peerRefusals() {
        if (refusals == null) {
            return null;
        }
        Map<String, Long> byReason = new TreeMap<>();
        refusals.byReason().forEach((reason, n) -> byReason.put(reason.name().toLowerCase(Locale.ROOT), n));
        return byReason;
    }

    @Override
    public Map<String, Long> peerHeartbeatAgeMs() {
        Map<String, Long> ages = new TreeMap<>();
        beacon.heardAgoNanos(System.nanoTime()).forEach((id, nanos) -> {
            if (!id.equals(config.nodeId()) && memberIds().contains(id)) {
                ages.put(id, TimeUnit.NANOSECONDS.toMillis(nanos));
            }
        });
        return ages;
    }

    /** Tells {@code o} how long this node's log appends, forces and snapshot writes take. */
    public void observeStorage(StorageObserver o) {
        ((ChecksummedLog) raft.log()).observe(o);
    }

    @Override
    public long leaderCommitIndex() {
        return raft.isLeader() ? raft.commitIndex() : Math.max(raft.leaderCommitHeard(), raft.commitIndex());
    }

    @Override
    public long stalenessMs() {
        RoleState r = role();
        if (r.role() == Role.ACTIVE) {
            return 0;
        }
        long contact = leaderContactAgeMs();
        long behind = TimeUnit.NANOSECONDS.toMillis(raft.behindNanos(System.nanoTime()));
        return contact < 0 ? -1 : Math.max(contact, behind);
    }

    @Override
    public Optional<Result> leaseRead(Command query, long term) {
        if (!leaseVouches(term)) {
            return Optional.empty();
        }
        Result result = readLocal(query);
        // the lease must still hold once the state was read: a read that started just before it ran
        // out could otherwise miss a write a successor committed meanwhile
        return leaseVouches(term) ? Optional.of(result) : Optional.empty();
    }

    private boolean leaseVouches(long term) {
        RoleView v = tracker.view();
        return raft.isLeader() && raft.currentTerm() == term && v.role() == Role.ACTIVE && v.term() == term
                && lease.fencing().leaseHolds(term, System.nanoTime());
    }

    @Override
    public Result readLocal(Command query) {
        if (!(query instanceof Command.Get) && !(query instanceof Command.ListPrefix)) {
            throw new IllegalArgumentException("only GET and LIST can be read locally, not " + query);
        }
        return kv.read(m -> m.apply(query));
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
        Set<String> connected = ViewIds.of(channel.getView());
        List<MemberState> out = new ArrayList<>();
        long now = System.nanoTime();
        for (String id : memberIds()) {
            String fault;
            if (id.equals(config.nodeId())) {
                StorageFault own = health.fault();
                fault = own == null ? null : own.reason();
            } else {
                PeerHealth p = connected.contains(id) ? beacon.of(id, now) : null;
                fault = p == null ? null : p.fault();
            }
            out.add(new MemberState(id, connected.contains(id), fault));
        }
        return out;
    }

    private List<String> memberIds() {
        return membership.current().stream().map(ClusterMember::id).toList();
    }

    @Override
    public List<ClusterMember> memberTable() {
        return membership.current();
    }

    @Override
    public String lastMemberChange() {
        return kv.read(sm -> sm.members().lastChange());
    }

    @Override
    public CompletableFuture<List<ClusterMember>> addMember(MemberSpec spec) {
        return membership.add(spec);
    }

    @Override
    public CompletableFuture<List<ClusterMember>> removeMember(String id) {
        return membership.remove(id);
    }

    @Override
    public void onRemoved(Consumer<String> callback) {
        this.onRemoved = callback;
    }

    /**
     * Gives up leadership before leaving: the lease is surrendered first and the role thread has
     * reported the demotion (listeners and hooks are told) when this returns. The followers are
     * told only by {@link #handOver} or {@link #releaseFollowers()}, so a demotion hook can finish
     * before a successor can be elected.
     */
    @Override
    public boolean stepDown() {
        if (!raft.isLeader()) {
            return false;
        }
        long term = raft.currentTerm();
        lease.surrender(term);
        log.info("{} stepping down from term {}", config.nodeId(), term);
        roles.refresh();
        return true;
    }

    @Override
    public CompletableFuture<Transfer> handOver() {
        return switchover.start(null, false, true);
    }

    @Override
    public void releaseFollowers() {
        long term = lease.fencing().surrenderedTerm();
        if (term > 0) {
            lease.releaseFollowers(term);
        }
    }

    /** See {@link Switchover}. */
    @Override
    public CompletableFuture<Transfer> transfer(String requested) {
        return switchover.start(requested, true, false);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        membership.close();
        probe.close();
        roles.close();
        termFacts.close();
        switchover.close();
        channel.close();
        log.info("{} left the cluster", config.nodeId());
    }
}

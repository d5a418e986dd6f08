package dev.baton.node.raft;

import dev.baton.node.config.Timings;
import dev.baton.node.fencing.FencingAction;
import dev.baton.node.fencing.FencingCore;
import dev.baton.node.fencing.FencingEvent;
import dev.baton.node.fencing.FencingTiming;
import dev.baton.node.fencing.FencingView;
import dev.baton.node.fencing.RaftFacts;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.jgroups.Address;
import org.jgroups.EmptyMessage;
import org.jgroups.Event;
import org.jgroups.Message;
import org.jgroups.View;
import org.jgroups.conf.ClassConfigurator;
import org.jgroups.protocols.pbcast.GMS;
import org.jgroups.protocols.raft.ELECTION2;
import org.jgroups.protocols.raft.RAFT;
import org.jgroups.protocols.raft.election.BaseElection;
import org.jgroups.protocols.raft.election.VoteRequest;
import org.jgroups.raft.util.Utils;
import org.jgroups.stack.Protocol;
import org.jgroups.util.MessageBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JGroups adapter of the {@link FencingCore}, as a protocol directly below ELECTION2: it turns
 * lease messages, vote requests, messages from the leader and timers into {@link FencingEvent}s,
 * and carries out the core's {@link FencingAction}s (send, adopt a term, deliver a held vote,
 * probe). Every lease and promise decision is the core's; see it for the rules.
 *
 * <p>Threading: one thread, {@code baton-lease}, owns the core: it applies every event, one at a
 * time, and publishes the core's immutable {@link FencingView} after each; every other thread
 * (JGroups delivery, the role thread, HTTP) only reads that view or submits events. Messages from
 * the leader are coalesced into one pending event, so the hot path costs a compare-and-set, not a
 * hand-off per message. Port probes block, so they run on {@code baton-probe}.
 */
public final class LeaseGuard extends Protocol {

    private static final Logger log = LoggerFactory.getLogger(LeaseGuard.class);

    static final short PROTOCOL_ID = 4300;

    static {
        ClassConfigurator.addProtocol(PROTOCOL_ID, LeaseGuard.class);
        ClassConfigurator.add(LeaseHeader.MAGIC_ID, LeaseHeader.class);
    }

    private final FencingTiming timing;
    private final FencingCore core; // baton-lease thread only
    private final PortProbe ports;
    private final short electionId = ClassConfigurator.getProtocolId(ELECTION2.class);
    private final Map<String, Address> addresses = new ConcurrentHashMap<>();
    private final AtomicReference<FencingEvent.HeardFromLeader> pendingHeard = new AtomicReference<>();
    private final Timings timings;
    private volatile FencingView published = FencingView.INITIAL;
    private volatile View view;
    private RAFT raft;
    private ScheduledExecutorService owner;
    private ScheduledExecutorService prober;
    private ElectionWatchdog watchdog;
    private ElectionFilters filters;
    private FencingActions actions;

    /** @param ports probes a leader's transport to tell a crashed leader from a paused or cut-off one */
    public LeaseGuard(FencingTiming timing, Timings timings, PortProbe ports) {
        this.timing = timing;
        this.core = new FencingCore(timing);
        this.timings = timings;
        this.ports = ports;
    }

    @Override
    public void start() throws Exception {
        super.start();
        raft = RAFT.findProtocol(RAFT.class, this, false);
        if (raft == null) {
            throw new IllegalStateException("LeaseGuard needs RAFT above it");
        }
        watchdog = new ElectionWatchdog(raft, timings, new WatchdogContext());
        filters = new ElectionFilters(raft, electionId, ports, () -> view, () -> published);
        actions = new FencingActions(raft, id, addresses, ports, new FencingActions.Io() {
            @Override
            public void down(Message msg) {
                down_prot.down(msg);
            }

            @Override
            public void up(Message msg) {
                up_prot.up(msg);
            }

            @Override
            public void wakeAt(long atNanos) {
                owner.schedule(() -> apply(new FencingEvent.Wake()), atNanos - System.nanoTime(), TimeUnit.NANOSECONDS);
            }

            @Override
            public void probeAt(long atNanos, Runnable probe) {
                prober.schedule(probe, Math.max(0, atNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
            }

            @Override
            public void answer(FencingEvent.ProbeAnswered answer) {
                submit(() -> answer);
            }
        });
        owner = Executors.newSingleThreadScheduledExecutor(daemon("baton-lease"));
        prober = Executors.newSingleThreadScheduledExecutor(daemon("baton-probe"));
        owner.scheduleAtFixedRate(this::tick, 0, timing.renewNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public void stop() {
        if (owner != null) {
            owner.shutdownNow();
            prober.shutdownNow();
        }
        super.stop();
    }

    /** What the election watchdog reads: the view, the published fencing view, and the election protocols. */
    private final class WatchdogContext implements ElectionWatchdog.Context {
        @Override
        public View view() {
            return view;
        }

        @Override
        public long lastHeardNanos(Address leader) {
            FencingView v = published;
            return Objects.equals(Utils.extractRaftId(leader), v.promisedTo()) && v.promisedTo() != null ? v.lastHeardNanos() : 0;
        }

        @Override
        public BaseElection election() {
            return RAFT.findProtocol(BaseElection.class, LeaseGuard.this, false);
        }

        @Override
        public GMS gms() {
            return RAFT.findProtocol(GMS.class, LeaseGuard.this, true);
        }
    }

    // ---- what other threads read and ask

    /** The fencing state as of the last event (any thread). */
    public FencingView fencing() {
        return published;
    }

    /** A command of {@code term} submitted at {@code submittedNanos} committed: renews the lease. Completes once applied. */
    public CompletableFuture<Void> committed(long term, long submittedNanos) {
        return submit(() -> new FencingEvent.Committed(term, submittedNanos));
    }

    /**
     * Gives the lease of {@code term} up at once: when this returns this node is not ACTIVE in that
     * term any more, whatever acknowledgements still arrive.
     */
    public void surrender(long term) {
        await(submit(() -> new FencingEvent.Surrender(term)));
    }

    /** Tells the followers this node gave up {@code term}; call only after {@link #surrender}. */
    public void releaseFollowers(long term) {
        await(submit(() -> new FencingEvent.ReleaseFollowers(term)));
    }

    /** Old leader: announce the switchover (followers other than {@code target} stop taking entries past {@code lastIndex}). */
    void announceTransfer(long term, String target, long lastIndex) {
        await(submit(() -> new FencingEvent.AnnounceTransfer(term, target, lastIndex)));
    }

    /** Old leader: vote truthfully again (the switchover is over, or failed). */
    void endTransfer() {
        await(submit(FencingEvent.EndTransfer::new));
    }

    /** Old leader: have the view coordinator (maybe this node) run an election now. */
    void startElection() {
        BaseElection election = RAFT.findProtocol(BaseElection.class, this, false);
        if (election != null && election.runVotingThread()) {
            return; // this node is the coordinator
        }
        View v = view;
        Address coord = v == null ? null : v.getCoord();
        if (coord != null) {
            down_prot.down(new EmptyMessage(coord).putHeader(id, new LeaseHeader(LeaseHeader.START_ELECTION, raft.currentTerm(), 0)));
        }
    }

    // ---- the owner thread

    private CompletableFuture<Void> submit(Supplier<FencingEvent> event) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            owner.execute(() -> {
                apply(event.get());
                done.complete(null);
            });
        } catch (RuntimeException e) { // shut down
            done.completeExceptionally(e);
        }
        return done;
    }

    private static void await(CompletableFuture<Void> f) {
        try {
            f.get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            log.warn("fencing event not applied: {}", e.toString());
        }
    }

    private void tick() {
        try {
            apply(new FencingEvent.Tick(facts()));
            watchdog.tick();
        } catch (RuntimeException e) {
            log.warn("lease tick failed", e);
        }
    }

    /** Owner thread: one event through the core, then its actions. */
    private void apply(FencingEvent event) {
        List<FencingAction> todo = core.on(event, System.nanoTime());
        published = core.view();
        for (FencingAction a : todo) {
            try {
                actions.carryOut(a, event);
            } catch (RuntimeException e) {
                log.warn("fencing action {} failed", a, e);
            }
        }
    }

    /** Raft's state now, as the core's input. */
    private RaftFacts facts() {
        Address leader = raft.leader();
        return new RaftFacts(raft.raftId(), raft.currentTerm(), leader == null ? null : Utils.extractRaftId(leader), raft.isLeader(),
                raft.majority());
    }

    // ---- messages going up (JGroups delivery threads)

    @Override
    public Object up(Message msg) {
        return handle(msg) ? up_prot.up(msg) : null;
    }

    @Override
    public void up(MessageBatch batch) {
        batch.removeIf(m -> !handle(m), true);
        if (!batch.isEmpty()) {
            up_prot.up(batch);
        }
    }

    /** Returns true if the message goes on up the stack now. */
    private boolean handle(Message msg) {
        if (filters.ignoredPreVoteAnswer(msg)) {
            return false;
        }
        Address src = msg.getSrc();
        LeaseHeader h = msg.getHeader(id);
        if (h != null) {
            String from = memberId(src);
            if (from != null) {
                addresses.put(from, src); // where acks and stale answers go
                onLeaseMessage(from, h);
            }
            return false;
        }
        if (filters.beyondTransferPoint(src, msg)) {
            return false;
        }
        if (src != null && src.equals(raft.leader()) && !raft.isLeader()) {
            heardFromLeader(src);
        }
        if (msg.getHeader(electionId) instanceof VoteRequest) {
            String from = memberId(src);
            submit(() -> new FencingEvent.VoteRequested(msg, from)); // the core delivers it now or when its promise ends
            return false;
        }
        return true;
    }

    /** The member id a message's sender claims (its raft id, else its address as text), or null. */
    static String memberId(Address a) {
        return a == null ? null : Objects.requireNonNullElse(Utils.extractRaftId(a), a.toString());
    }

    private void onLeaseMessage(String from, LeaseHeader h) {
        switch (h.type) {
            case LeaseHeader.PING -> submit(() -> new FencingEvent.PingReceived(from, h.term, h.round, facts()));
            case LeaseHeader.ACK -> {
                // a learner (a joining member) promises nothing that counts: only voters make the lease's majority
                if (raft.members().contains(from)) {
                    submit(() -> new FencingEvent.AckReceived(from, h.term, h.round, facts()));
                }
            }
            case LeaseHeader.RELEASE -> {
                log.info("leader {} stepped down from term {}: promise released", from, h.term);
                submit(() -> new FencingEvent.ReleaseReceived(from, h.term));
            }
            case LeaseHeader.STALE -> submit(() -> new FencingEvent.StaleReceived(h.term, facts()));
            case LeaseHeader.TRANSFER -> {
                log.info("switchover from {} (term {}) to {} at index {}", from, h.term, h.target, h.round);
                // applied before this thread delivers anything else: the old leader's next message
                // (sent in order after this one) may be the hand-over entry, which a follower other
                // than the target must already refuse
                await(submit(() -> new FencingEvent.TransferReceived(from, h.term, h.round, h.target, facts())));
            }
            case LeaseHeader.START_ELECTION -> {
                BaseElection election = RAFT.findProtocol(BaseElection.class, this, false);
                if (election != null) {
                    log.info("{} asked for an election (planned switchover)", from);
                    election.runVotingThread();
                }
            }
            default -> log.debug("unknown lease message {} from {}", h, from);
        }
    }

    /**
     * Coalesces messages from the leader: at most one such event waits for the owner at a time, and
     * while one of this term waits (a term has one leader) a message costs no allocation or CAS.
     */
    private void heardFromLeader(Address leader) {
        long term = raft.currentTerm();
        FencingEvent.HeardFromLeader waiting = pendingHeard.get();
        if (waiting != null && waiting.term() == term) {
            return;
        }
        FencingEvent.HeardFromLeader heard = new FencingEvent.HeardFromLeader(memberId(leader), term);
        if (pendingHeard.getAndSet(heard) == null) {
            // the promise runs from when the owner applies it: never earlier than the message, so never shorter
            submit(() -> Objects.requireNonNullElse(pendingHeard.getAndSet(null), heard));
        }
    }

    // ---- events and messages going down

    @Override
    public Object up(Event evt) {
        if (evt.getType() == Event.VIEW_CHANGE) {
            onView(evt.getArg());
        }
        return up_prot.up(evt);
    }

    @Override
    public Object down(Event evt) {
        if (evt.getType() == Event.VIEW_CHANGE) {
            onView(evt.getArg());
        }
        return down_prot.down(evt);
    }

    private void onView(View v) {
        view = v;
        for (Address a : v.getMembers()) {
            String memberId = Utils.extractRaftId(a);
            if (memberId != null) {
                addresses.put(memberId, a);
            }
        }
    }

    /** See {@link ElectionFilters#down}. */
    @Override
    public Object down(Message msg) {
        Message out = filters.down(msg);
        return out == null ? null : down_prot.down(out);
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}

package dev.baton.node.raft;

import dev.baton.node.fencing.Lease;
import dev.baton.node.fencing.Promise;
import java.lang.reflect.Field;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jgroups.Address;
import org.jgroups.EmptyMessage;
import org.jgroups.Event;
import org.jgroups.View;
import org.jgroups.Message;
import org.jgroups.conf.ClassConfigurator;
import org.jgroups.protocols.raft.ELECTION2;
import org.jgroups.protocols.raft.RAFT;
import org.jgroups.ObjectMessage;
import org.jgroups.protocols.pbcast.GMS;
import org.jgroups.protocols.raft.AppendEntriesRequest;
import org.jgroups.protocols.raft.LogEntries;
import org.jgroups.protocols.raft.election.BaseElection;
import org.jgroups.protocols.raft.election.PreVoteRequest;
import org.jgroups.protocols.raft.election.PreVoteResponse;
import org.jgroups.protocols.raft.election.VoteRequest;
import org.jgroups.protocols.raft.election.VoteResponse;
import org.jgroups.raft.util.Utils;
import org.jgroups.stack.Protocol;
import org.jgroups.util.MessageBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leader lease and follower promise, as a JGroups protocol directly below ELECTION2.
 *
 * <p>jgroups-raft 1.1.4 has no lease and no check-quorum: a leader cut off or paused keeps
 * believing it leads until a view change or a higher term reaches it. This protocol adds:
 *
 * <ul>
 *   <li><b>Leader</b>: every {@code renewNanos} it multicasts a lease round (PING); when a majority
 *       (counting itself) acknowledged a round, the {@link Lease} runs {@code lease} from the
 *       round's start. The node is ACTIVE only while the lease holds; else FENCED.
 *   <li><b>Follower</b>: it acknowledges rounds of the leader it follows in the current term, and
 *       any message from that leader starts its {@link Promise}: for {@code grant} after it last
 *       heard from the leader it holds back ELECTION2 vote requests (only the newest is kept and
 *       delivered when the promise ends). So no majority can elect a successor before every lease
 *       the old leader holds has run out (Raft dissertation §6.4.1), whatever the failure
 *       detectors do.
 *   <li><b>Crash fast path</b>: while a vote request is held, the follower probes the promised
 *       leader's transport port ({@link PortProbe}); "connection refused" means no process listens
 *       there any more, so the leader cannot act and the promise is released at once. A paused
 *       process still accepts connections and a partition (packets dropped) times out, so both
 *       keep the promise.
 * </ul>
 *
 * <p>Threading: JGroups threads deliver messages; one scheduler thread {@code baton-lease} sends
 * rounds, probes and releases held votes. Lease and promise state are guarded by {@code this}.
 */
public final class LeaseGuard extends Protocol {

    private static final Logger log = LoggerFactory.getLogger(LeaseGuard.class);

    static final short PROTOCOL_ID = 4300;

    static {
        ClassConfigurator.addProtocol(PROTOCOL_ID, LeaseGuard.class);
        ClassConfigurator.add(LeaseHeader.MAGIC_ID, LeaseHeader.class);
    }

    private final long renewNanos;
    private final Lease lease;
    private final Promise promise;
    private final PortProbe ports;
    private final short electionId = ClassConfigurator.getProtocolId(ELECTION2.class);
    private RAFT raft;
    private ScheduledExecutorService timer;
    private Message heldVote;
    private volatile boolean probing;
    private ElectionWatchdog watchdog;

    /** @param ports probes a leader's transport to tell a crashed leader from a paused or cut-off one */
    public LeaseGuard(long leaseMs, long renewMs, long grantMs, PortProbe ports) {
        this.renewNanos = TimeUnit.MILLISECONDS.toNanos(renewMs);
        this.lease = new Lease(TimeUnit.MILLISECONDS.toNanos(leaseMs));
        this.promise = new Promise(TimeUnit.MILLISECONDS.toNanos(grantMs));
        this.ports = ports;
    }

    @Override
    public void start() throws Exception {
        super.start();
        raft = RAFT.findProtocol(RAFT.class, this, false);
        if (raft == null) {
            throw new IllegalStateException("LeaseGuard needs RAFT above it");
        }
        watchdog = new ElectionWatchdog(raft, new ElectionWatchdog.Context() {
            @Override
            public View view() {
                return view;
            }

            @Override
            public long lastHeardNanos(Address leader) {
                String id = Utils.extractRaftId(leader);
                synchronized (LeaseGuard.this) {
                    return promise.everHeard() && id != null && id.equals(promise.leaderId()) ? promise.lastHeardNanos() : 0;
                }
            }

            @Override
            public BaseElection election() {
                return RAFT.findProtocol(BaseElection.class, LeaseGuard.this, false);
            }

            @Override
            public GMS gms() {
                return RAFT.findProtocol(GMS.class, LeaseGuard.this, true);
            }
        });
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "baton-lease");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleAtFixedRate(this::tick, 0, renewNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void stop() {
        if (timer != null) {
            timer.shutdownNow();
        }
        super.stop();
    }

    // ---- leader side

    private void tick() {
        try {
            if (raft.isLeader()) {
                long term = raft.currentTerm();
                long round;
                synchronized (this) {
                    round = lease.startRound(term, System.nanoTime());
                }
                if (round < 0) {
                    return; // stepped down from this term
                }
                Message ping = new EmptyMessage(null)
                        .putHeader(id, new LeaseHeader(LeaseHeader.PING, term, round))
                        .setFlag(Message.Flag.OOB)
                        .setFlag(Message.TransientFlag.DONT_LOOPBACK);
                down_prot.down(ping);
            }
            releaseHeldVoteIfFree();
            watchdog.tick();
        } catch (RuntimeException e) {
            log.warn("lease tick failed", e);
        }
    }


    /** Whether this node holds the lease of {@code term} now. */
    public synchronized boolean holds(long term, long nowNanos) {
        return lease.holds(term, nowNanos);
    }

    /** When the lease of the current term ends. */
    public synchronized long expiryNanos() {
        return lease.expiryNanos();
    }

    /** A command of {@code term} submitted at {@code submittedNanos} committed: renews the lease. */
    public synchronized void committed(long term, long submittedNanos) {
        lease.committed(term, submittedNanos);
    }

    /** Nanos since this node last heard from the leader it follows, or -1 if it never did. */
    public synchronized long sinceLeaderContactNanos(long nowNanos) {
        return promise.everHeard() ? nowNanos - promise.lastHeardNanos() : -1;
    }

    /** See {@link Promise#sinceHeardFrom}. */
    public synchronized long sinceHeardFrom(String leaderId, long term, long nowNanos) {
        return promise.sinceHeardFrom(leaderId, term, nowNanos);
    }

    // ---- follower side

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

    /** Returns true if the message goes on up the stack. */
    private boolean handle(Message msg) {
        if (msg.getHeader(electionId) instanceof PreVoteResponse && liveLeaderInView()) {
            // a pre-vote sent before this node learned of a live leader (e.g. as a stale leader
            // merged back after a partition) must not decide after it did: see liveLeaderInView
            log.info("ignoring a pre-vote answer from {}: leader {} is alive and in the view", msg.getSrc(), raft.leader());
            return false;
        }
        LeaseHeader h = msg.getHeader(id);
        if (h != null) {
            if (h.type == LeaseHeader.PING) {
                onPing(msg.getSrc(), h);
            } else if (h.type == LeaseHeader.ACK) {
                onAck(msg.getSrc(), h);
            } else if (h.type == LeaseHeader.RELEASE) {
                onRelease(msg.getSrc(), h);
            } else if (h.type == LeaseHeader.STALE) {
                onStale(msg.getSrc(), h);
            } else if (h.type == LeaseHeader.TRANSFER) {
                onTransfer(msg.getSrc(), h);
            } else if (h.type == LeaseHeader.START_ELECTION) {
                onStartElection(msg.getSrc());
            }
            return false;
        }
        if (beyondTransferPoint(msg)) {
            return false;
        }
        Address src = msg.getSrc();
        if (src != null && src.equals(raft.leader()) && !raft.isLeader()) {
            synchronized (this) {
                promise.heardFrom(Utils.extractRaftId(src), raft.currentTerm(), System.nanoTime());
            }
        }
        if (msg.getHeader(electionId) instanceof VoteRequest) {
            return !holdIfPromised(msg);
        }
        return true;
    }

    private void onPing(Address src, LeaseHeader h) {
        if (src != null && h.term > raft.currentTerm()) {
            // only the elected leader of a term sends its lease rounds: a node still in an older term
            // (e.g. a leader resumed after a pause, or merged back after a partition) learns the
            // current term and leader here at once; jgroups-raft itself sends nothing while idle
            log.info("lease round of term {} from {}: adopting it (was term {})", h.term, src, raft.currentTerm());
            raft.setLeaderAndTerm(src, h.term);
        }
        if (src != null && h.term < raft.currentTerm()) {
            // a leader of an older term: tell it the current term (Raft's reply to a stale leader;
            // jgroups-raft drops its messages silently, and a stale leader that coordinates the view
            // would otherwise keep the others from electing)
            down_prot.down(new EmptyMessage(src)
                    .putHeader(id, new LeaseHeader(LeaseHeader.STALE, raft.currentTerm(), h.term))
                    .setFlag(Message.Flag.OOB));
            return;
        }
        if (src == null || !src.equals(raft.leader()) || h.term != raft.currentTerm()) {
            return; // not the leader we follow in this term: no promise, no ack
        }
        synchronized (this) {
            String leaderId = Utils.extractRaftId(src);
            if (promise.revoked(leaderId, h.term)) {
                return;
            }
            promise.heardFrom(leaderId, h.term, System.nanoTime());
        }
        Message ack = new EmptyMessage(src)
                .putHeader(id, new LeaseHeader(LeaseHeader.ACK, h.term, h.round))
                .setFlag(Message.Flag.OOB);
        down_prot.down(ack);
    }

    private void onStale(Address src, LeaseHeader h) {
        if (h.term > raft.currentTerm()) {
            log.warn("{} is at term {}, this node still led term {}: stepping down to that term", src, h.term, raft.currentTerm());
            raft.setLeaderAndTerm(null, h.term);
        }
    }

    private void onAck(Address src, LeaseHeader h) {
        if (src == null || !raft.isLeader() || h.term != raft.currentTerm()) {
            return;
        }
        String follower = Utils.extractRaftId(src);
        synchronized (this) {
            lease.ack(h.term, h.round, Objects.requireNonNullElse(follower, src.toString()), raft.majority());
        }
    }

    private void onRelease(Address src, LeaseHeader h) {
        String leaderId = Utils.extractRaftId(src);
        synchronized (this) {
            promise.revoke(leaderId, h.term);
        }
        log.info("leader {} stepped down from term {}: promise released", leaderId, h.term);
        releaseHeldVoteIfFree();
    }

    /**
     * Gives the lease of {@code term} up at once: from now on this node is not ACTIVE in that term,
     * whatever acknowledgements still arrive.
     */
    public void surrender(long term) {
        synchronized (this) {
            lease.surrender(term);
        }
    }

    /**
     * Tells the followers this node gave up {@code term}, so their promises no longer hold back
     * the election of a successor. Call only after {@link #surrender}.
     */
    public void releaseFollowers(long term) {
        Message release = new EmptyMessage(null)
                .putHeader(id, new LeaseHeader(LeaseHeader.RELEASE, term, 0))
                .setFlag(Message.TransientFlag.DONT_LOOPBACK);
        down_prot.down(release);
    }

    // ---- planned switchover (see Switchover)

    private volatile Transfer transfer; // this follower is not the target of a switchover in progress
    private volatile TransferPoint transferPoint; // set on the old leader during its switchover

    private record TransferPoint(long term, long lastIndex) {}

    private record Transfer(Address from, long term, long lastIndex, long untilNanos) {}

    private void onTransfer(Address src, LeaseHeader h) {
        String leaderId = Utils.extractRaftId(src);
        synchronized (this) {
            promise.revoke(leaderId, h.term); // the leader surrendered its lease before sending this
        }
        String self = raft.raftId();
        if (!h.target.equals(self)) {
            transfer = new Transfer(src, h.term, h.round, System.nanoTime() + TRANSFER_HOLD_NANOS);
        }
        log.info("switchover from {} (term {}) to {} at index {}", leaderId, h.term, h.target, h.round);
        releaseHeldVoteIfFree();
    }

    private static final long TRANSFER_HOLD_NANOS = TimeUnit.SECONDS.toNanos(3);
    private static Field prevLogIndex;

    private boolean beyondTransferPoint(Message msg) {
        Transfer t = transfer;
        if (t == null) {
            return false;
        }
        if (raft.currentTerm() > t.term() || System.nanoTime() - t.untilNanos() > 0) {
            transfer = null;
            return false;
        }
        if (!t.from().equals(msg.getSrc()) || !(msg.getHeader(raft.getId()) instanceof AppendEntriesRequest req)
                || req.currTerm() != t.term() || !(msg instanceof ObjectMessage om)
                || !(om.getObject() instanceof LogEntries entries) || entries.size() == 0) {
            return false;
        }
        try {
            long prev = (long) prevLogIndexField().get(req);
            return prev + entries.size() > t.lastIndex();
        } catch (ReflectiveOperationException e) {
            log.warn("cannot read AppendEntriesRequest.prev_log_index: {}", e.toString());
            return false;
        }
    }

    private static synchronized Field prevLogIndexField() throws NoSuchFieldException {
        if (prevLogIndex == null) {
            Field f = AppendEntriesRequest.class.getDeclaredField("prev_log_index");
            f.setAccessible(true);
            prevLogIndex = f;
        }
        return prevLogIndex;
    }

    private void onStartElection(Address src) {
        BaseElection election = RAFT.findProtocol(BaseElection.class, this, false);
        if (election != null) {
            log.info("{} asked for an election (planned switchover)", src);
            election.runVotingThread();
        }
    }

    /** Old leader: announce the switchover (followers other than {@code target} stop taking entries past {@code lastIndex}). */
    void announceTransfer(long term, String target, long lastIndex) {
        transferPoint = new TransferPoint(term, lastIndex);
        down_prot.down(new EmptyMessage(null)
                .putHeader(id, new LeaseHeader(LeaseHeader.TRANSFER, term, lastIndex, target))
                .setFlag(Message.TransientFlag.DONT_LOOPBACK));
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

    /** Old leader: vote again (the switchover is over, or failed). */
    void endTransfer() {
        transferPoint = null;
    }

    private volatile View view;

    @Override
    public Object up(Event evt) {
        if (evt.getType() == Event.VIEW_CHANGE) {
            view = evt.getArg();
        }
        return up_prot.up(evt);
    }

    @Override
    public Object down(Event evt) {
        if (evt.getType() == Event.VIEW_CHANGE) {
            view = evt.getArg();
        }
        return down_prot.down(evt);
    }

    /**
     * The old leader votes in the election it asked for, but reports its log as ending at the
     * switchover point, not at the hand-over entry: so the target, the only other holder of that
     * entry, has the strictly longest log and wins. This cannot lose a committed entry: the target
     * holds every entry the old leader holds, and up to the switchover point the report is true.
     * (Not voting at all would make the coordinator wait its full vote timeout.)
     */
    @Override
    public Object down(Message msg) {
        if (msg.getHeader(raft.getId()) instanceof AppendEntriesRequest req && (!raft.isLeader() || req.currTerm() != raft.currentTerm())) {
            // jgroups-raft 1.1.4 race: a leader whose term was just raised by a vote request can still
            // resend entries stamped with the NEW term and itself as leader; a follower then takes it
            // as that term's leader and later refuses the real one ("Changing leader illegally").
            // Only the leader of a term may send entries in it.
            log.debug("dropping AppendEntries of term {} (current term {}, leader now: {})", req.currTerm(), raft.currentTerm(), raft.isLeader());
            return null;
        }
        if (msg.getHeader(electionId) instanceof PreVoteRequest && liveLeaderInView()) {
            log.info("not starting a pre-vote as coordinator: leader {} is alive and in the view", raft.leader());
            return null;
        }
        TransferPoint p = transferPoint;
        if (p != null && msg.getHeader(electionId) instanceof VoteResponse rsp) {
            msg.putHeader(electionId, new VoteResponse(rsp.currTerm(), p.term(), p.lastIndex()));
        }
        return down_prot.down(msg);
    }

    /** See {@link PreVotePolicy}: whether this node knows its leader is alive and in the view. */
    private boolean liveLeaderInView() {
        Address leader = raft.leader();
        View v = view;
        boolean inView = leader != null && v != null && v.containsMember(leader);
        long now = System.nanoTime();
        String leaderId = leader == null ? null : Utils.extractRaftId(leader);
        boolean leaseHeld;
        String promisedTo;
        boolean binds;
        synchronized (this) {
            leaseHeld = lease.holds(raft.currentTerm(), now);
            promisedTo = promise.leaderId();
            binds = promise.binds(now);
        }
        // the probe (at most 50 ms) runs outside the lock, and only for a promised leader outside the view
        return PreVotePolicy.leaderAlive(leaderId, inView, raft.isLeader(), leaseHeld, promisedTo, binds,
                () -> ports.isGone(leaderId));
    }

    private boolean holdIfPromised(Message vote) {
        long remaining;
        String leaderId;
        synchronized (this) {
            remaining = promise.remainingNanos(System.nanoTime());
            if (remaining == 0) {
                return false;
            }
            heldVote = vote; // only the newest request matters: older ones are for older terms
            leaderId = promise.leaderId();
        }
        log.info("holding a vote request from {} for {} ms: promised to leader {}", vote.getSrc(),
                TimeUnit.NANOSECONDS.toMillis(remaining), leaderId);
        timer.schedule(this::releaseHeldVoteIfFree, remaining, TimeUnit.NANOSECONDS);
        startProbing(leaderId);
        return true;
    }

    private void releaseHeldVoteIfFree() {
        Message vote;
        synchronized (this) {
            if (heldVote == null || promise.binds(System.nanoTime())) {
                return;
            }
            vote = heldVote;
            heldVote = null;
        }
        log.info("promise ended; delivering the held vote request from {}", vote.getSrc());
        up_prot.up(vote);
    }

    private void startProbing(String leaderId) {
        if (!ports.knows(leaderId) || probing) {
            return;
        }
        probing = true;
        timer.execute(() -> probe(leaderId));
    }

    private void probe(String leaderId) {
        boolean again;
        synchronized (this) {
            again = heldVote != null && promise.binds(System.nanoTime());
        }
        if (!again) {
            probing = false;
            return;
        }
        if (ports.isGone(leaderId)) {
            synchronized (this) {
                promise.release();
            }
            log.info("leader {} no longer listens on its transport port: it is gone, releasing the promise", leaderId);
            probing = false;
            releaseHeldVoteIfFree();
            return;
        }
        // each probe makes the target's transport log a failed accept if it is alive: not too often
        timer.schedule(() -> probe(leaderId), 50, TimeUnit.MILLISECONDS);
    }

}

package dev.baton.node.raft;

import dev.baton.node.config.NodeConfig;
import dev.baton.node.config.Operations;
import dev.baton.node.fencing.FencingView;
import dev.baton.node.health.StorageFault;
import dev.baton.node.health.StorageHealth;
import dev.baton.node.role.ConsensusState;
import dev.baton.node.role.Role;
import dev.baton.node.role.RolePolicy;
import dev.baton.node.role.RoleState;
import dev.baton.node.role.RoleTracker;
import dev.baton.node.statemachine.ClusterControl;
import dev.baton.node.statemachine.KvStateMachine;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jgroups.Address;
import org.jgroups.JChannel;
import org.jgroups.protocols.raft.RAFT;
import org.jgroups.raft.util.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one owner of the local role: the {@code baton-role} thread looks at the Raft state every
 * {@code rolePollMs} (and at once when asked: a jgroups-raft role change, a commit, a step-down),
 * decides the role with {@link RolePolicy} and publishes it through the {@link RoleTracker}. It also
 * drives what a new leader must do before it serves: commit a no-op of its term (Raft §5.4.2, §8:
 * a new jgroups-raft leader commits nothing of its own term, and its state machine can lag the
 * committed log until it does), and, if this node is marked no-failover, hand the term on. A node
 * whose storage fails is UNHEALTHY ({@link RolePolicy}); if it leads, it steps down at once: it
 * cannot commit, and its followers would otherwise wait for a leader that still heart-beats.
 *
 * <p>Threading: every field below is the role thread's own; other threads only post work to it.
 */
final class RoleOwner implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RoleOwner.class);

    /** What the role thread acts through. */
    interface Leader {
        /**
         * Submits the no-op of {@code term}; completes when it committed (or failed). {@code
         * awaitingApproval}: this node will wait for an approval or the end of maintenance (recorded
         * in the leadership history).
         */
        CompletableFuture<Void> commitNoop(long term, boolean awaitingApproval);

        /** Hands {@code term} over because this node is marked no-failover. */
        CompletableFuture<?> handOverNoFailover(long term);
    }

    private final NodeConfig config;
    private final JChannel channel;
    private final RAFT raft;
    private final ReplicatedKv kv;
    private final LeaseGuard lease;
    private final RoleTracker tracker;
    private final StorageHealth health;
    private final long grantNanos;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "baton-role");
        t.setDaemon(true);
        return t;
    });
    private Leader leader;
    private volatile boolean closed;
    // the role thread's own state
    private long noopSubmittedTerm;
    private long promotedTerm; // a term in which this node was ACTIVE: needs no new approval
    private boolean handoverInFlight;
    private long lastHandoverAttemptNanos = System.nanoTime() - TimeUnit.SECONDS.toNanos(10);
    private String announcedLeader; // the leader last named for announcedTerm
    private long announcedTerm;
    private long announcedAtNanos;
    private long sickStepDownTerm; // the term this node last stepped down from because its storage fails
    private long sickStepDownNanos;

    RoleOwner(NodeConfig config, JChannel channel, RAFT raft, ReplicatedKv kv, LeaseGuard lease, RoleTracker tracker,
            StorageHealth health) {
        this.config = config;
        this.channel = channel;
        this.raft = raft;
        this.kv = kv;
        this.lease = lease;
        this.tracker = tracker;
        this.health = health;
        this.grantNanos = TimeUnit.MILLISECONDS.toNanos(config.lease().grantMs());
    }

    /** Starts looking; {@code leader} is what a new leader acts through. */
    void start(Leader leader) {
        this.leader = leader;
        thread.scheduleWithFixedDelay(this::evaluate, 0, config.timings().rolePollMs(), TimeUnit.MILLISECONDS);
    }

    /** Any thread: look again soon. */
    void poke() {
        if (!closed) {
            try {
                thread.execute(this::evaluate);
            } catch (RuntimeException e) {
                // closing
            }
        }
    }

    /** Any thread: look again now and wait (at most a second) until the role reflects it. */
    void refresh() {
        try {
            thread.submit(this::evaluate).get(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            log.warn("role update did not finish: {}", e.toString());
        }
    }

    private void evaluate() {
        if (closed) {
            return;
        }
        try {
            long term = raft.currentTerm();
            Address leaderAddress = raft.leader();
            boolean self = leaderAddress != null && leaderAddress.equals(channel.getAddress());
            String leaderId = leaderAddress == null ? null : Utils.extractRaftId(leaderAddress);
            long ready = kv.read(KvStateMachine::lastNoopTerm);
            ClusterControl control = kv.read(KvStateMachine::control);
            boolean needsApproval = config.ops().failover() == Operations.Failover.MANUAL
                    || control.maintenanceAt(System.currentTimeMillis())
                    || config.ops().noFailover();
            boolean approved = !config.ops().noFailover() && (control.approves(config.nodeId(), term) || promotedTerm == term);
            if (self && ready < term && noopSubmittedTerm < term) {
                submitNoop(term, needsApproval && !approved);
            }
            long now = System.nanoTime();
            FencingView fencing = lease.fencing();
            boolean leaseHeld = self && fencing.leaseHolds(term, now);
            RoleState previous = tracker.current();
            boolean ledThisTerm = previous.term() == term && (previous.role() == Role.ACTIVE || previous.role() == Role.FENCED);
            StorageFault fault = health.fault();
            Role role = RolePolicy.decide(new ConsensusState(term, leaderId, self, ready, leaseHeld, needsApproval, approved,
                    ledThisTerm, fault == null));
            if (role == Role.ACTIVE) {
                promotedTerm = term;
            }
            long at = now;
            if (previous.role() == Role.ACTIVE && role != Role.ACTIVE) {
                // the ACTIVE interval ended when the lease ran out, even if this thread notices later
                // (e.g. after SIGCONT, possibly when a higher term has already arrived)
                long expiry = fencing.leaseExpiryNanos();
                if (expiry - now < 0 && expiry - previous.monotonicNanos() > 0) {
                    at = expiry;
                }
            }
            String followed = role == Role.FENCED ? null : leaderId;
            tracker.update(role, term, followed, !self && leaderLive(fencing, followed, term, now), fault, at);
            if (fault != null && self) {
                stepDownBecauseSick(term, now, fault);
            }
            if (role == Role.PENDING_APPROVAL && config.ops().noFailover() && !handoverInFlight
                    && now - lastHandoverAttemptNanos > TimeUnit.MILLISECONDS.toNanos(config.timings().noFailoverRetryMs())) {
                handOverBecauseNoFailover(term, now);
            }
        } catch (RuntimeException e) {
            log.warn("role evaluation failed", e);
        }
    }

    /**
     * This node leads {@code term} but its storage fails: give the lease up (it is UNHEALTHY
     * already, so nothing is served), release the followers' promises and have the coordinator run
     * an election, which this node stays out of (see {@code ElectionFilters}). Repeated while it
     * still leads the term, in case that election found no majority.
     */
    private void stepDownBecauseSick(long term, long now, StorageFault fault) {
        if (sickStepDownTerm == term && now - sickStepDownNanos < TimeUnit.MILLISECONDS.toNanos(config.timings().noFailoverRetryMs())) {
            return;
        }
        sickStepDownTerm = term;
        sickStepDownNanos = now;
        log.warn("{} leads term {} but cannot persist ({}): stepping down and asking for an election", config.nodeId(),
                term, fault.reason());
        lease.surrender(term);
        lease.releaseFollowers(term);
        lease.startElection();
    }

    /**
     * Whether the leader this follower knows for {@code term} can still be acting as the ACTIVE:
     * heard from in this term, or first named, within the promise grant. A leader can hold no lease
     * longer than that past the last message a follower had from it, so a silent one is not named
     * to clients any more (its successor follows within about one failure-detection timeout).
     */
    private boolean leaderLive(FencingView fencing, String leaderId, long term, long now) {
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
        long heard = fencing.sinceHeardFrom(leaderId, term, now);
        long since = heard < 0 ? now - announcedAtNanos : Math.min(heard, now - announcedAtNanos);
        return since <= grantNanos;
    }

    /**
     * Elected although marked no-failover: hand over to the preferred or most caught-up follower.
     * Runs after the role update (the hand-over checks the role) and is retried while this node
     * stays the pending leader. Automatic, so not pre-approved: in manual mode or maintenance the
     * successor still waits.
     */
    private void handOverBecauseNoFailover(long term, long now) {
        handoverInFlight = true;
        lastHandoverAttemptNanos = now;
        log.info("{} is marked no-failover: handing term {} over", config.nodeId(), term);
        leader.handOverNoFailover(term).whenComplete((t, e) -> {
            if (e != null) {
                log.warn("no-failover hand-over of term {} failed (retrying while pending): {}", term, e.toString());
            }
            onRoleThread(() -> handoverInFlight = false);
        });
    }

    private void submitNoop(long term, boolean awaitingApproval) {
        noopSubmittedTerm = term;
        leader.commitNoop(term, awaitingApproval).whenComplete((v, e) -> {
            if (e != null) {
                log.info("no-op for term {} not committed ({}); will retry while leader", term, e.toString());
                onRoleThread(() -> noopSubmittedTerm = Math.min(noopSubmittedTerm, term - 1));
            } else {
                poke(); // the lease knows of the commit now: the node may be ACTIVE
            }
        });
    }

    private void onRoleThread(Runnable r) {
        if (!closed) {
            try {
                thread.execute(() -> {
                    r.run();
                    evaluate();
                });
            } catch (RuntimeException e) {
                // closing
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.shutdownNow();
    }
}

package dev.baton.node.fencing;

import java.util.ArrayList;
import java.util.List;

/**
 * Every lease and promise decision of one node, as a pure state machine: {@link #on(FencingEvent,
 * long)} takes an event and the node's monotonic time and returns what to do. No JGroups, no
 * threads, no clock: the adapter ({@code dev.baton.node.raft.LeaseGuard}) turns messages and
 * timers into events and carries out the actions; a simulation does the same with simulated ones.
 *
 * <ul>
 *   <li><b>Lease</b> (leader): every tick it starts a lease round; when a majority, counting itself,
 *       acknowledged a round, it may act as ACTIVE for {@code lease} from the round's start
 *       ({@link Lease}). That majority counts the leader, so while its lease holds it holds vote
 *       requests back too, as its followers do.
 *   <li><b>Promise</b> (follower): it acknowledges rounds of the leader it follows in the current
 *       term, and any message from that leader starts its {@link Promise}: for {@code grant} after it
 *       last heard from the leader it holds back vote requests (the newest is kept and delivered
 *       when the promise ends). So no majority can elect a successor before every lease the old
 *       leader holds has run out (Raft dissertation §6.4.1), whatever the failure detectors do.
 *   <li><b>Crash fast path</b>: while a vote is held, the follower probes the promised leader's
 *       port; "refused" means no process is left to act on a lease, so the promise ends at once.
 *   <li><b>Terms</b>: a round of a newer term makes this node adopt it (jgroups-raft sends nothing
 *       while idle); a round of an older term is answered with the current term, which makes a
 *       stale leader step down.
 *   <li><b>Switchover</b>: the old leader surrenders its lease and announces the switch point;
 *       followers other than the target release their promise and refuse entries beyond it.
 * </ul>
 *
 * <p>The first event marks the start of the process (the adapter feeds a {@link FencingEvent.Tick}
 * at once): for {@code grant} from then on, vote requests are held, because a promise made before
 * a crash is not remembered.
 *
 * <p>Threading: not thread-safe; one owner applies events one at a time (the adapter's {@code
 * baton-lease} thread) and publishes {@link #view()} after each.
 */
public final class FencingCore {

    private final FencingTiming timing;
    private final Lease lease;
    private final Promise promise;
    private Object heldVote;
    private String heldVoteFrom;
    private boolean probing;
    private FencingView.TransferHold hold;
    private FencingView.TransferPoint point;
    private FencingView view = FencingView.INITIAL;
    private boolean started;
    private long startedNanos; // the first event's time: this process's start, or later

    public FencingCore(FencingTiming timing) {
        this.timing = timing;
        this.lease = new Lease(timing.leaseNanos());
        this.promise = new Promise(timing.grantNanos());
    }

    /** The state after the last event. */
    public FencingView view() {
        return view;
    }

    /** Applies {@code event} at {@code now} (the node's monotonic nanos) and returns the actions, in order. */
    public List<FencingAction> on(FencingEvent event, long now) {
        if (!started) {
            started = true;
            startedNanos = now;
        }
        List<FencingAction> out = new ArrayList<>(2);
        // Java 17: no pattern switch; one branch per event type
        if (event instanceof FencingEvent.Tick t) {
            tick(t.raft(), now, out);
        } else if (event instanceof FencingEvent.Wake) {
            deliverIfFree(now, out);
        } else if (event instanceof FencingEvent.HeardFromLeader h) {
            promise.heardFrom(h.leaderId(), h.term(), now);
        } else if (event instanceof FencingEvent.PingReceived p) {
            ping(p, now, out);
        } else if (event instanceof FencingEvent.AckReceived a) {
            if (a.raft().selfLeads() && a.term() == a.raft().term()) {
                lease.ack(a.term(), a.round(), a.from(), a.raft().majority());
            }
        } else if (event instanceof FencingEvent.StaleReceived s) {
            if (s.term() > s.raft().term()) {
                out.add(new FencingAction.AdoptTerm(null, s.term()));
            }
        } else if (event instanceof FencingEvent.ReleaseReceived r) {
            promise.revoke(r.from(), r.term());
            deliverIfFree(now, out);
        } else if (event instanceof FencingEvent.TransferReceived t) {
            transfer(t, now, out);
        } else if (event instanceof FencingEvent.VoteRequested v) {
            vote(v, now, out);
        } else if (event instanceof FencingEvent.ProbeAnswered p) {
            probed(p, now, out);
        } else if (event instanceof FencingEvent.Committed c) {
            lease.committed(c.term(), c.submittedNanos());
        } else if (event instanceof FencingEvent.Surrender s) {
            lease.surrender(s.term());
        } else if (event instanceof FencingEvent.ReleaseFollowers r) {
            out.add(new FencingAction.SendRelease(r.term()));
        } else if (event instanceof FencingEvent.AnnounceTransfer a) {
            point = new FencingView.TransferPoint(a.term(), a.lastIndex());
            out.add(new FencingAction.SendTransfer(a.term(), a.target(), a.lastIndex()));
        } else if (event instanceof FencingEvent.EndTransfer) {
            point = null;
        } else {
            throw new IllegalArgumentException("unknown fencing event " + event);
        }
        publish();
        return out;
    }

    private void tick(RaftFacts raft, long now, List<FencingAction> out) {
        if (raft.selfLeads()) {
            long round = lease.startRound(raft.term(), now);
            if (round >= 0) { // else: this node stepped down from the term
                if (raft.majority() <= 1) {
                    // a one-member cluster (--force-new-cluster): the leader alone is the majority,
                    // there is no follower to answer, and no one else can be elected
                    lease.ack(raft.term(), round, raft.selfId(), raft.majority());
                }
                out.add(new FencingAction.SendPing(raft.term(), round));
            }
        }
        if (hold != null && (raft.term() > hold.term() || now - hold.untilNanos() > 0)) {
            hold = null;
        }
        deliverIfFree(now, out);
    }

    private void ping(FencingEvent.PingReceived p, long now, List<FencingAction> out) {
        RaftFacts raft = p.raft();
        long term = raft.term();
        if (p.term() > term) {
            // only the elected leader of a term sends its rounds: a node still in an older term (a
            // leader resumed after a pause, or back from a partition) learns the term and leader now
            out.add(new FencingAction.AdoptTerm(p.from(), p.term()));
            raft = new RaftFacts(raft.selfId(), p.term(), p.from(), false, raft.majority());
            term = p.term();
        }
        if (p.term() < term) {
            // Raft's answer to a stale leader; jgroups-raft drops its messages silently, and a stale
            // leader coordinating the view would keep the others from electing
            out.add(new FencingAction.SendStale(p.from(), term, p.term()));
            return;
        }
        if (!raft.follows(p.from()) || promise.revoked(p.from(), p.term())) {
            return; // not the leader we follow in this term, or it gave the term up: no promise, no ack
        }
        promise.heardFrom(p.from(), p.term(), now);
        out.add(new FencingAction.SendAck(p.from(), p.term(), p.round()));
    }

    private void transfer(FencingEvent.TransferReceived t, long now, List<FencingAction> out) {
        promise.revoke(t.from(), t.term()); // the leader surrendered its lease before announcing
        if (!t.target().equals(t.raft().selfId())) {
            hold = new FencingView.TransferHold(t.from(), t.term(), t.lastIndex(), now + timing.transferHoldNanos());
        }
        deliverIfFree(now, out);
    }

    private void vote(FencingEvent.VoteRequested v, long now, List<FencingAction> out) {
        long remaining = holdNanos(now);
        if (remaining == 0) {
            out.add(new FencingAction.DeliverVote(v.vote(), v.from()));
            return;
        }
        heldVote = v.vote(); // only the newest request matters: older ones are for older terms
        heldVoteFrom = v.from();
        boolean promised = promise.binds(now);
        out.add(new FencingAction.VoteHeld(v.from(), promised ? promise.leaderId() : null, remaining));
        out.add(new FencingAction.WakeAt(now + remaining));
        if (promised && !probing) {
            probing = true;
            out.add(new FencingAction.Probe(promise.leaderId(), now));
        }
    }

    private void probed(FencingEvent.ProbeAnswered p, long now, List<FencingAction> out) {
        if (heldVote == null || !promise.binds(now) || !p.leaderId().equals(promise.leaderId())) {
            probing = false;
            return;
        }
        if (p.gone()) {
            promise.release(); // no process is left to act on a lease
            probing = false;
            deliverIfFree(now, out);
            return;
        }
        out.add(new FencingAction.Probe(p.leaderId(), now + timing.probeIntervalNanos()));
    }

    private void deliverIfFree(long now, List<FencingAction> out) {
        if (heldVote == null || holdNanos(now) > 0) {
            return;
        }
        out.add(new FencingAction.DeliverVote(heldVote, heldVoteFrom));
        heldVote = null;
        heldVoteFrom = null;
    }

    /**
     * How long vote requests must still be held back: while the promise binds, and while this node
     * holds a lease itself. The lease's majority counts the leader, so the leader makes the same
     * promise as its followers; else a candidate that reaches only the leader (back from a
     * partition, with a newer term the leader has just adopted) is elected with the leader's vote
     * while the lease still holds (found by the simulation, seed 20). And for {@code grant} after
     * this process started: promises are not persisted, so one made before a crash must be presumed
     * (a process back within the grant would else vote at once, though it acknowledged a lease
     * round just before; simulation seed 11632 with fast restarts).
     */
    private long holdNanos(long now) {
        long own = lease.holds(lease.term(), now) ? lease.expiryNanos() - now : 0;
        long sinceStart = now - startedNanos;
        long restart = sinceStart < timing.grantNanos() ? timing.grantNanos() - sinceStart : 0;
        return Math.max(Math.max(promise.remainingNanos(now), own), restart);
    }

    private void publish() {
        view = new FencingView(lease.term(), lease.heldInTerm(), lease.expiryNanos(), lease.surrenderedTerm(), promise.leaderId(), promise.term(),
                promise.lastHeardNanos(), promise.lastHeardNanos() + timing.grantNanos(), promise.active(), hold, point);
    }
}

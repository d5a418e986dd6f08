package dev.baton.node.raft;

import dev.baton.node.Consensus;
import dev.baton.node.NotLeaderException;
import dev.baton.node.TransferFailedException;
import dev.baton.node.config.NodeConfig;
import dev.baton.node.fencing.HandoverPlan;
import dev.baton.node.statemachine.Command;
import dev.baton.node.statemachine.Result;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jgroups.Address;
import org.jgroups.JChannel;
import org.jgroups.View;
import org.jgroups.raft.util.CommitTable;
import org.jgroups.raft.util.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@link HandoverPlan}s on this node: an operator's switchover to a named (or the best)
 * follower, the hand-over of a stopping ACTIVE, and a no-failover node's hand-over. It chooses and
 * checks the target, feeds the plan an observation whenever something it waits for may have
 * happened (a follower answered AppendEntries, the role view changed, a deadline came), and
 * carries out the plan's actions. No polling, no sleeps.
 *
 * <p>Threading: one thread, {@code baton-switchover}, owns the plan in progress (at most one);
 * other threads only post observations to it.
 */
final class Switchover implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Switchover.class);

    /** What the hand-over needs from the consensus it runs in. */
    interface Host {
        /** Whether this node leads (ACTIVE or awaiting approval) or, if {@code surrendered}, led until it stepped down from {@code term}. */
        boolean leads(long term, boolean surrendered);

        CompletableFuture<Result> submit(Command command);

        /** Gives the lease of {@code term} up; the role is updated when this returns. */
        void surrender(long term);

        String notLeaderMessage();

        /** The storage fault {@code memberId} last reported (it cannot be elected: it does not vote), or null. */
        String faultOf(String memberId);
    }

    private final NodeConfig config;
    private final BatonRaft raft;
    private final JChannel channel;
    private final LeaseGuard lease;
    private final Host host;
    private final ScheduledExecutorService owner = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "baton-switchover");
        t.setDaemon(true);
        return t;
    });
    private final AtomicBoolean observing = new AtomicBoolean();
    private Running running; // owner thread only
    private long wakeAt; // owner thread only: the deadline a wake-up is scheduled for

    /** A plan in progress with where it goes and how it ends. */
    private record Running(HandoverPlan plan, Address to, boolean approve, CompletableFuture<Consensus.Transfer> result) {}

    Switchover(NodeConfig config, BatonRaft raft, JChannel channel, LeaseGuard lease, Host host) {
        this.config = config;
        this.raft = raft;
        this.channel = channel;
        this.lease = lease;
        this.host = host;
    }

    /**
     * Hands the current term over to {@code requested} (null: the preferred leader if caught up,
     * else the most caught-up follower). Completes when the target leads a newer term; fails with
     * {@link NotLeaderException}, {@link IllegalArgumentException} (bad target) or {@link
     * TransferFailedException} (also when a hand-over is already in progress).
     *
     * @param approve whether the target may become ACTIVE without an operator (an operator's
     *     switchover); false for an automatic hand-over, which obeys manual mode and maintenance
     * @param surrendered whether this node already stepped down from the term (a stopping ACTIVE)
     */
    CompletableFuture<Consensus.Transfer> start(String requested, boolean approve, boolean surrendered) {
        CompletableFuture<Consensus.Transfer> result = new CompletableFuture<>();
        try {
            owner.execute(() -> {
                try {
                    begin(requested, approve, surrendered, result);
                } catch (RuntimeException e) {
                    result.completeExceptionally(e);
                }
            });
        } catch (RuntimeException e) {
            result.completeExceptionally(new TransferFailedException(config.nodeId() + " is shutting down"));
        }
        return result;
    }

    /** Any thread: something the plan waits for may have happened. Coalesced: at most one look is queued. */
    void observe() {
        if (observing.compareAndSet(false, true)) {
            try {
                owner.execute(() -> {
                    observing.set(false);
                    step();
                });
            } catch (RuntimeException e) {
                observing.set(false); // shut down
            }
        }
    }

    private void begin(String requested, boolean approve, boolean surrendered, CompletableFuture<Consensus.Transfer> result) {
        long term = raft.currentTerm();
        if (!raft.isLeader() || !host.leads(term, surrendered)) {
            throw new NotLeaderException(host.notLeaderMessage());
        }
        if (running != null) {
            throw new TransferFailedException("a hand-over of term " + term + " to " + running.plan().target() + " is in progress");
        }
        Map<String, Address> followers = connectedFollowers();
        String target = requested != null ? requested : pickTarget(followers);
        if (target == null) {
            throw new TransferFailedException("no connected follower that can persist to hand over to");
        }
        String fault = host.faultOf(target);
        if (fault != null) {
            throw new TransferFailedException(target + " cannot persist (" + fault + "): it could not be elected");
        }
        if (target.equals(config.nodeId())) {
            throw new IllegalArgumentException(target + " is this node (the current leader)");
        }
        if (!raft.members().contains(target)) {
            throw new IllegalArgumentException("'" + target + "' is not one of the voting members " + raft.members());
        }
        Address to = followers.get(target);
        if (to == null) {
            throw new TransferFailedException(target + " is not connected to " + config.nodeId());
        }
        log.info("{} switching over term {} to {}", config.nodeId(), term, target);
        HandoverPlan plan = new HandoverPlan(term, target, raft.lastAppended(),
                TimeUnit.MILLISECONDS.toNanos(config.timings().switchoverStepMs()));
        running = new Running(plan, to, approve, result);
        raft.onFollowerProgress(this::observe);
        carryOut(plan.start(progress(to), System.nanoTime()));
    }

    private void step() {
        if (running != null) {
            carryOut(running.plan().on(progress(running.to()), System.nanoTime()));
        }
    }

    private HandoverPlan.Progress progress(Address to) {
        Address leader = raft.leader();
        return new HandoverPlan.Progress(matchIndex(to), raft.currentTerm(), leader == null ? null : Utils.extractRaftId(leader),
                raft.isLeader());
    }

    private void carryOut(List<HandoverPlan.Action> actions) {
        Running r = running;
        for (HandoverPlan.Action a : actions) {
            if (a instanceof HandoverPlan.Action.Surrender s) {
                host.surrender(s.term());
            } else if (a instanceof HandoverPlan.Action.Announce an) {
                lease.announceTransfer(an.term(), an.target(), an.lastIndex());
                // the hand-over entry: any entry only the target takes will do; an approved Handover also
                // approves the target, and every Handover ends the term in the leadership history
                Command marker = new Command.Handover(an.term(), an.target(), r.approve(), System.currentTimeMillis());
                host.submit(marker).whenComplete((res, e) -> observe());
            } else if (a instanceof HandoverPlan.Action.StartElection) {
                lease.startElection();
            } else if (a instanceof HandoverPlan.Action.ReleaseFollowers rf) {
                lease.releaseFollowers(rf.term());
            } else if (a instanceof HandoverPlan.Action.EndTransfer) {
                lease.endTransfer();
            } else if (a instanceof HandoverPlan.Action.WakeAt w) {
                scheduleWake(w.atNanos());
            } else if (a instanceof HandoverPlan.Action.Done d) {
                log.info("{} handed term {} over to {} (term {})", config.nodeId(), r.plan().term(), r.plan().target(), d.term());
                end().complete(new Consensus.Transfer(config.nodeId(), r.plan().target(), r.plan().term(), d.term()));
            } else if (a instanceof HandoverPlan.Action.Failed f) {
                log.warn("{}: hand-over to {} failed: {}", config.nodeId(), r.plan().target(), f.reason());
                end().completeExceptionally(new TransferFailedException(f.reason()));
            }
        }
    }

    private CompletableFuture<Consensus.Transfer> end() {
        CompletableFuture<Consensus.Transfer> result = running.result();
        running = null;
        raft.onFollowerProgress(null);
        return result;
    }

    private void scheduleWake(long atNanos) {
        if (atNanos == wakeAt) {
            return; // already scheduled for this deadline
        }
        wakeAt = atNanos;
        owner.schedule(this::step, Math.max(0, atNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
    }

    private Map<String, Address> connectedFollowers() {
        Map<String, Address> out = new HashMap<>();
        View view = channel.getView();
        if (view != null) {
            for (Address a : view.getMembers()) {
                String id = Utils.extractRaftId(a);
                if (id != null && !id.equals(config.nodeId()) && raft.members().contains(id)) { // a learner cannot be elected
                    out.put(id, a);
                }
            }
        }
        return out;
    }

    private String pickTarget(Map<String, Address> followers) {
        long last = raft.lastAppended();
        String preferred = config.ops().preferredLeader();
        if (preferred != null && followers.containsKey(preferred) && matchIndex(followers.get(preferred)) >= last
                && host.faultOf(preferred) == null) {
            return preferred;
        }
        String best = null;
        long bestIndex = -1;
        for (Map.Entry<String, Address> e : followers.entrySet()) {
            if (host.faultOf(e.getKey()) != null) {
                continue; // a sick follower does not vote, so it cannot win the election
            }
            long m = matchIndex(e.getValue());
            if (m > bestIndex) {
                best = e.getKey();
                bestIndex = m;
            }
        }
        return best;
    }

    private long matchIndex(Address member) {
        CommitTable table = raft.commitTable();
        CommitTable.Entry e = table == null ? null : table.get(member);
        return e == null ? -1 : e.matchIndex();
    }

    @Override
    public void close() {
        owner.shutdownNow();
    }
}

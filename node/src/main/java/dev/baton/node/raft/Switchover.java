package dev.baton.node.raft;

import dev.baton.node.Consensus;
import dev.baton.node.NotLeaderException;
import dev.baton.node.TransferFailedException;
import dev.baton.node.config.NodeConfig;
import dev.baton.node.role.Role;
import dev.baton.node.role.RoleState;
import dev.baton.node.statemachine.Command;
import dev.baton.node.statemachine.Result;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.jgroups.Address;
import org.jgroups.JChannel;
import org.jgroups.View;
import org.jgroups.protocols.raft.RAFT;
import org.jgroups.raft.util.CommitTable;
import org.jgroups.raft.util.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Planned switchover to {@code requested} (or, if null, the preferred leader if it is caught
 * up, else the most caught-up follower). jgroups-raft 1.1.4 has no leadership transfer, and its
 * election (run by the view coordinator) picks the voter with the longest log. So this leader
 * (1) surrenders its lease: it stops serving at once; (2) waits until the target has every
 * entry it has; (3) announces the switchover: the other followers accept no entry beyond that
 * point from it in this term; (4) appends a {@link Command.Handover} entry, which only the
 * target takes, so the target alone has the longest log; (5) has the coordinator run an
 * election, in which it reports its own log only up to the switchover point (see {@link
 * LeaseGuard#down}). The target wins and, once its term's no-op commits, is ACTIVE (the hand-over
 * entry pre-approves it in manual mode). If a step fails the cluster simply elects a leader again.
 *
 * <p>Threading: runs on the caller's thread (one switchover at a time: the caller uses a single
 * thread); it only reads the commit table and the view, and acts through the consensus host.
 */
final class Switchover {

    private static final Logger log = LoggerFactory.getLogger(Switchover.class);

    /** What the switchover needs from the consensus it runs in. */
    interface Host {
        /** The role as of now (lease checked). */
        RoleState role();

        /** The role as last derived by the role thread (leader and term as followers see them). */
        RoleState trackedRole();

        CompletableFuture<Result> submit(Command command);

        /** Gives the lease of {@code term} up; the role is updated when this returns. */
        void surrender(long term);

        String notLeaderMessage();
    }

    private final NodeConfig config;
    private final RAFT raft;
    private final JChannel channel;
    private final LeaseGuard lease;
    private final Host host;

    Switchover(NodeConfig config, RAFT raft, JChannel channel, LeaseGuard lease, Host host) {
        this.config = config;
        this.raft = raft;
        this.channel = channel;
        this.lease = lease;
        this.host = host;
    }

    /**
     * @param approve whether the target may become ACTIVE without an operator (an operator's
     *     switchover); false for an automatic hand-over, which obeys manual mode and maintenance
     */
    Consensus.Transfer run(String requested, boolean approve) {
        RoleState r = host.role();
        if (r.role() != Role.ACTIVE && r.role() != Role.PENDING_APPROVAL) {
            throw new NotLeaderException(host.notLeaderMessage());
        }
        long term = raft.currentTerm();
        Map<String, Address> followers = connectedFollowers();
        String target = requested != null ? requested : pickTarget(followers);
        if (target == null) {
            throw new TransferFailedException("no connected follower to hand over to");
        }
        if (target.equals(config.nodeId())) {
            throw new IllegalArgumentException(target + " is this node (the current leader)");
        }
        if (config.member(target) == null) {
            throw new IllegalArgumentException("'" + target + "' is not one of the members " + config.memberIds());
        }
        Address to = followers.get(target);
        if (to == null) {
            throw new TransferFailedException(target + " is not connected to " + config.nodeId());
        }
        log.info("{} switching over term {} to {}", config.nodeId(), term, target);
        host.surrender(term);
        boolean done = false;
        try {
            long last = raft.lastAppended();
            if (!await(() -> matchIndex(to) >= last, TRANSFER_STEP_MS)) {
                throw new TransferFailedException(target + " did not catch up to index " + last + " within " + TRANSFER_STEP_MS + " ms");
            }
            lease.announceTransfer(term, target, last);
            // the hand-over entry: any entry only the target takes will do; Handover also approves it
            Command marker = approve ? new Command.Handover(term, target) : new Command.Noop(term, config.nodeId());
            host.submit(marker).orTimeout(TRANSFER_STEP_MS, TimeUnit.MILLISECONDS);
            if (!await(() -> matchIndex(to) > last, TRANSFER_STEP_MS)) {
                throw new TransferFailedException(target + " did not take the hand-over entry within " + TRANSFER_STEP_MS + " ms");
            }
            lease.startElection();
            boolean elected = await(() -> {
                RoleState now = host.trackedRole();
                return now.term() > term && target.equals(now.leaderId());
            }, 3 * TRANSFER_STEP_MS);
            if (!elected) {
                throw new TransferFailedException("the election after the hand-over did not choose " + target);
            }
            done = true;
            long newTerm = host.trackedRole().term();
            log.info("{} handed term {} over to {} (term {})", config.nodeId(), term, target, newTerm);
            return new Consensus.Transfer(config.nodeId(), target, term, newTerm);
        } finally {
            lease.endTransfer();
            if (!done && raft.isLeader() && raft.currentTerm() == term) {
                // this node gave its lease up: release the followers' promises (else they would hold
                // the votes for as long as they hear from it) and let the cluster choose again
                lease.releaseFollowers(term);
                lease.startElection();
            }
        }
    }

    static final long TRANSFER_STEP_MS = 1000;

    private Map<String, Address> connectedFollowers() {
        Map<String, Address> out = new HashMap<>();
        View view = channel.getView();
        if (view != null) {
            for (Address a : view.getMembers()) {
                String id = Utils.extractRaftId(a);
                if (id != null && !id.equals(config.nodeId())) {
                    out.put(id, a);
                }
            }
        }
        return out;
    }

    private String pickTarget(Map<String, Address> followers) {
        long last = raft.lastAppended();
        String preferred = config.ops().preferredLeader();
        if (preferred != null && followers.containsKey(preferred) && matchIndex(followers.get(preferred)) >= last) {
            return preferred;
        }
        String best = null;
        long bestIndex = -1;
        for (Map.Entry<String, Address> e : followers.entrySet()) {
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

    private static boolean await(BooleanSupplier condition, long timeoutMs) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }
}

package dev.baton.node.raft;

import dev.baton.node.fencing.FencingView;
import dev.baton.node.health.StorageFault;
import java.util.function.Supplier;
import org.jgroups.Address;
import org.jgroups.Message;
import org.jgroups.ObjectMessage;
import org.jgroups.View;
import org.jgroups.protocols.raft.AppendEntriesRequest;
import org.jgroups.protocols.raft.LogEntries;
import org.jgroups.protocols.raft.RAFT;
import org.jgroups.protocols.raft.election.PreVoteRequest;
import org.jgroups.protocols.raft.election.PreVoteResponse;
import org.jgroups.protocols.raft.election.VoteResponse;
import org.jgroups.raft.util.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@link LeaseGuard} lets pass between ELECTION2/RAFT and the network besides the lease
 * itself: each filter repairs a behaviour of jgroups-raft 1.1.4 (said below) or carries out a
 * switchover, reading only the published fencing view. Called on JGroups threads; no state.
 */
final class ElectionFilters {

    private static final Logger log = LoggerFactory.getLogger(ElectionFilters.class);

    private final RAFT raft;
    private final short electionId;
    private final PortProbe ports;
    private final Supplier<View> view;
    private final Supplier<FencingView> fencing;

    ElectionFilters(RAFT raft, short electionId, PortProbe ports, Supplier<View> view, Supplier<FencingView> fencing) {
        this.raft = raft;
        this.electionId = electionId;
        this.ports = ports;
        this.view = view;
        this.fencing = fencing;
    }

    /** Going up: whether to drop a pre-vote answer because this node knows a live leader. */
    boolean ignoredPreVoteAnswer(Message msg) {
        if (msg.getHeader(electionId) instanceof PreVoteResponse && liveLeaderInView()) {
            // a pre-vote sent before this node learned of a live leader (e.g. as a stale leader
            // merged back after a partition) must not decide after it did: see PreVotePolicy
            log.info("ignoring a pre-vote answer from {}: leader {} is alive and in the view", msg.getSrc(), raft.leader());
            return true;
        }
        return false;
    }

    /** Going up: whether entries from {@code src} go beyond the switch point of a hand-over to another node. */
    boolean beyondTransferPoint(Address src, Message msg) {
        FencingView v = fencing.get();
        if (v.hold() == null || !(msg.getHeader(raft.getId()) instanceof AppendEntriesRequest req)
                || !(msg instanceof ObjectMessage om) || !(om.getObject() instanceof LogEntries entries) || entries.size() == 0) {
            return false;
        }
        long end = EntryIndex.prevLogIndex(req) + entries.size();
        return v.beyondTransferPoint(LeaseGuard.memberId(src), req.currTerm(), raft.currentTerm(), end, System.nanoTime());
    }

    /**
     * Going down: the message to send (maybe rewritten), or null to drop it. Drops entries a deposed
     * leader must not send, keeps a node whose storage fails out of elections, keeps a coordinator
     * that knows a live leader from starting a pre-vote,
     * and, during this node's switchover, reports its log as ending at the switch point when it
     * votes: so the target, the only other holder of the hand-over entry, has the strictly longest
     * log and wins. This cannot lose a committed entry: the target holds every entry the old leader
     * holds, and up to the switch point the report is true. (Not voting at all would make the
     * coordinator wait its full vote timeout.)
     */
    Message down(Message msg) {
        StorageFault fault = msg.getHeader(electionId) instanceof VoteResponse ? storageFault() : null; // vote answers only
        if (fault != null) {
            // a node that cannot store entries must not help elect a leader that then needs it to
            // commit, nor be elected itself: its vote answer is the only way ELECTION2 counts it
            // (the coordinator waits vote_timeout for it, then counts the others). Its pre-vote
            // answer still goes out: it only names the leader this node knows, and ELECTION2's
            // pre-vote waits for every member of the view, so without it a sick coordinator, or
            // any coordinator with a sick member, never started an election (found by DiskFaultIT)
            log.info("not voting in the election of {} ({}): this node's storage fails ({})", msg.getDest(),
                    msg.getHeader(electionId), fault.reason());
            return null;
        }
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
        FencingView.TransferPoint p = fencing.get().point();
        if (p != null && msg.getHeader(electionId) instanceof VoteResponse rsp) {
            msg.putHeader(electionId, new VoteResponse(rsp.currTerm(), p.term(), p.lastIndex()));
        }
        return msg;
    }

    /** Why this node's last write of its log, metadata or snapshot failed, or null. */
    private StorageFault storageFault() {
        return raft.log() instanceof ChecksummedLog c ? c.health().fault() : null;
    }

    /** See {@link PreVotePolicy}: whether this node knows its leader is alive and in the view. */
    private boolean liveLeaderInView() {
        Address leader = raft.leader();
        View v = view.get();
        boolean inView = leader != null && v != null && v.containsMember(leader);
        long now = System.nanoTime();
        String leaderId = leader == null ? null : Utils.extractRaftId(leader);
        FencingView f = fencing.get();
        // the probe (at most the connect timeout) runs only for a promised leader outside the view
        return PreVotePolicy.leaderAlive(leaderId, inView, raft.isLeader(), f.leaseHolds(raft.currentTerm(), now), f.promisedTo(),
                f.promiseBinds(now), () -> ports.isGone(leaderId));
    }
}

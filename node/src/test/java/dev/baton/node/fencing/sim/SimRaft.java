package dev.baton.node.fencing.sim;

import dev.baton.node.fencing.sim.SimMessage.AppendReply;
import dev.baton.node.fencing.sim.SimMessage.RequestVote;
import dev.baton.node.fencing.sim.SimMessage.VoteReply;

/**
 * The Raft election model of one simulated node: just what the fencing core's safety rests on.
 * Terms and votes follow Raft §5.2 (one vote per term, persisted with the term across a crash; any
 * message of a newer term makes a node a follower of that term); the up-to-date check of §5.4.1 is
 * kept in its simplest form (the term of the last entry; each term has one entry, its leader's
 * no-op); a candidate with a majority of granted votes leads its term, and is ready to serve
 * (RolePolicy's readyTerm) only once a majority took its no-op.
 *
 * <p>Simplified against jgroups-raft 1.1.4: elections are started by every node whose failure
 * detector gives up on the leader (there, only the view coordinator runs ELECTION2, with a
 * pre-vote); no log beyond one no-op per term, no commit index, no snapshots; an AppendEntries of an
 * older term is dropped silently (as jgroups-raft does), so a stale leader learns the newer term
 * only from a vote request, a vote reply, a newer leader's message or the core's stale answer.
 *
 * <p>Not thread-safe; owned by its {@link SimNode}.
 */
final class SimRaft {

    enum State { FOLLOWER, CANDIDATE, LEADER }

    private final int self;
    private final int size;
    private final int majority;

    // persistent: survive a crash (Raft Figure 2)
    private long term;
    private int votedFor = -1;
    private long lastLogTerm;

    // volatile: lost in a crash
    private State state = State.FOLLOWER;
    private int leader = -1;
    private long readyTerm;
    private boolean[] votes;
    private boolean[] took; // leader: who has its no-op
    private boolean committed;
    private long noopSubmittedLocal;

    SimRaft(int self, int size) {
        this.self = self;
        this.size = size;
        this.majority = size / 2 + 1;
    }

    /** A process restart: the persistent state is kept, the rest starts over. */
    void restart() {
        state = State.FOLLOWER;
        leader = -1;
        readyTerm = 0;
        votes = null;
        took = null;
        committed = false;
    }

    /** Raft §5.1: a message of a newer term makes this node a follower of that term, with no vote cast yet. */
    boolean observe(long messageTerm) {
        if (messageTerm <= term) {
            return false;
        }
        term = messageTerm;
        votedFor = -1;
        state = State.FOLLOWER;
        leader = -1;
        return true;
    }

    /** An entry of {@code entryTerm} from {@code from}; returns false if it is dropped (older term). */
    boolean appendEntries(int from, long entryTerm) {
        if (entryTerm < term) {
            return false; // jgroups-raft drops a stale leader's entries without an answer
        }
        observe(entryTerm);
        if (state == State.LEADER) {
            throw new ModelViolation("Raft election safety: " + (from + 1) + " sent entries in term " + entryTerm
                    + " led by " + (self + 1));
        }
        if (leader >= 0 && leader != from) {
            throw new ModelViolation("Raft election safety: two leaders of term " + entryTerm + ": n" + (leader + 1)
                    + " and n" + (from + 1));
        }
        state = State.FOLLOWER;
        leader = from;
        lastLogTerm = entryTerm;
        return true;
    }

    /** Raft §5.2 and §5.4.1: whether to grant {@code request} from {@code from}. */
    VoteReply vote(int from, RequestVote request) {
        if (request.term() < term) {
            return new VoteReply(term, false);
        }
        observe(request.term());
        boolean grant = (votedFor < 0 || votedFor == from) && request.lastLogTerm() >= lastLogTerm;
        if (grant) {
            votedFor = from;
        }
        return new VoteReply(term, grant);
    }

    /** Becomes a candidate of the next term and votes for itself. */
    RequestVote startElection() {
        term++;
        state = State.CANDIDATE;
        votedFor = self;
        leader = -1;
        votes = new boolean[size];
        votes[self] = true;
        return new RequestVote(term, lastLogTerm);
    }

    /** Returns true if this reply made this node the leader of its term. */
    boolean voteReply(int from, VoteReply reply, long nowLocal) {
        if (observe(reply.term()) || state != State.CANDIDATE || reply.term() != term || !reply.granted()) {
            return false;
        }
        votes[from] = true;
        if (count(votes) < majority) {
            return false;
        }
        state = State.LEADER;
        leader = self;
        lastLogTerm = term; // its no-op
        took = new boolean[size];
        took[self] = true;
        committed = false;
        noopSubmittedLocal = nowLocal;
        return true;
    }

    /** Returns true if this reply committed the leader's no-op (a majority has it). */
    boolean appendReply(int from, AppendReply reply) {
        if (state != State.LEADER || reply.term() != term) {
            return false;
        }
        took[from] = true;
        if (committed || count(took) < majority) {
            return false;
        }
        committed = true;
        readyTerm = term;
        return true;
    }

    /** The core's AdoptTerm: a newer term (with its leader, or none) learned from a fencing message. */
    void adopt(int newLeader, long newTerm) {
        observe(newTerm);
        if (newTerm == term && state != State.LEADER) {
            leader = newLeader;
        }
    }

    /**
     * A view change brought {@code member} (back) in: a leader adds it to its commit table as knowing
     * nothing and sends it entries again (jgroups-raft), from which it learns the leader. Returns
     * whether this node leads and so must send.
     */
    boolean rejoined(int member) {
        if (state != State.LEADER) {
            return false;
        }
        took[member] = false;
        return true;
    }

    /** Whether the leader's no-op must still be sent to {@code member}. */
    boolean lacksNoop(int member) {
        return state == State.LEADER && !took[member];
    }

    private static int count(boolean[] flags) {
        int n = 0;
        for (boolean f : flags) {
            if (f) {
                n++;
            }
        }
        return n;
    }

    long term() {
        return term;
    }

    int leader() {
        return leader;
    }

    boolean leads() {
        return state == State.LEADER;
    }

    State state() {
        return state;
    }

    long readyTerm() {
        return readyTerm;
    }

    long noopSubmittedLocal() {
        return noopSubmittedLocal;
    }

    int majority() {
        return majority;
    }
}

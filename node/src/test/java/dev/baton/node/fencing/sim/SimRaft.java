package dev.baton.node.fencing.sim;

import dev.baton.node.fencing.sim.SimMessage.AppendReply;
import dev.baton.node.fencing.sim.SimMessage.RequestVote;
import dev.baton.node.fencing.sim.SimMessage.VoteReply;

/**
 * The Raft election model of one simulated node: just what the fencing core's safety rests on.
 * Terms and votes follow Raft §5.2 (one vote per term, persisted with the term across a crash; any
 * message of a newer term makes a node a follower of that term); a vote goes only to a candidate
 * whose log, as (last term, last index), is at least as up to date (§5.4.1); a candidate with a
 * majority of granted votes leads its term, and is ready to serve (RolePolicy's readyTerm) only
 * once a majority took its no-op.
 *
 * <p>Simplified against jgroups-raft 1.1.4: elections are started by every node whose failure
 * detector gives up on the leader (there, only the view coordinator runs ELECTION2, with a pre-vote,
 * and picks the voter with the longest log); the log is its last entry only (an entry at index i
 * stands for the whole log up to i: no log matching, no commit index, no snapshots, no client
 * commands; the entries are each leader's no-op and a switchover's hand-over entry); an
 * AppendEntries of an older term is dropped silently (as jgroups-raft does), so a stale leader
 * learns the newer term only from a vote request, a vote reply, a newer leader's message or the
 * core's stale answer.
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
    private long lastLogIndex;

    // volatile: lost in a crash
    private State state = State.FOLLOWER;
    private int leader = -1;
    private long readyTerm;
    private boolean[] votes;
    private long[] matchIndex; // leader: the highest index of its term each member took
    private long noopIndex;
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
        matchIndex = null;
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

    /** The entry at {@code index} of {@code entryTerm} from {@code from}; false if dropped (older term). */
    boolean appendEntries(int from, long entryTerm, long index) {
        if (entryTerm < term) {
            return false; // jgroups-raft drops a stale leader's entries without an answer
        }
        observe(entryTerm);
        if (state == State.LEADER || (leader >= 0 && leader != from)) {
            throw new ModelViolation("Raft election safety: n" + (from + 1) + " sent entries in term " + entryTerm
                    + " led by n" + ((state == State.LEADER ? self : leader) + 1));
        }
        state = State.FOLLOWER;
        leader = from;
        lastLogTerm = entryTerm;
        lastLogIndex = index; // the leader's log up to index replaces this one's (log matching not modelled)
        return true;
    }

    /** Raft §5.2 and §5.4.1: whether to grant {@code request} from {@code from}. */
    VoteReply vote(int from, RequestVote request) {
        if (request.term() < term) {
            return new VoteReply(term, false);
        }
        observe(request.term());
        boolean upToDate = request.lastLogTerm() > lastLogTerm
                || (request.lastLogTerm() == lastLogTerm && request.lastLogIndex() >= lastLogIndex);
        boolean grant = (votedFor < 0 || votedFor == from) && upToDate;
        if (grant) {
            votedFor = from;
        }
        return new VoteReply(term, grant);
    }

    /**
     * Becomes a candidate of the next term. Its own vote is asked for like any other (through its
     * core, which may hold it back: {@link #vote} and {@link #voteReply} with {@code from == self}).
     */
    RequestVote startElection() {
        term++;
        state = State.CANDIDATE;
        votedFor = -1;
        leader = -1;
        votes = new boolean[size];
        return new RequestVote(term, lastLogTerm, lastLogIndex);
    }

    /** Returns true if this reply made this node the leader of its term; it then has its no-op appended. */
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
        matchIndex = new long[size];
        noopIndex = append();
        noopSubmittedLocal = nowLocal;
        return true;
    }

    /** Leader: appends an entry of its term; returns its index. */
    long append() {
        lastLogTerm = term;
        lastLogIndex++;
        matchIndex[self] = lastLogIndex;
        return lastLogIndex;
    }

    /** Returns true if this reply committed the leader's no-op (a majority has it). */
    boolean appendReply(int from, AppendReply reply) {
        if (state != State.LEADER || reply.term() != term || reply.index() <= matchIndex[from]) {
            return false;
        }
        boolean before = noopCommitted();
        matchIndex[from] = reply.index();
        if (before || !noopCommitted()) {
            return false;
        }
        readyTerm = term;
        return true;
    }

    private boolean noopCommitted() {
        int n = 0;
        for (long m : matchIndex) {
            if (m >= noopIndex) {
                n++;
            }
        }
        return n >= majority;
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
        matchIndex[member] = 0;
        return true;
    }

    /** Leader: whether {@code member} still lacks its last entry (jgroups-raft resends it). */
    boolean lacks(int member) {
        return state == State.LEADER && matchIndex[member] < lastLogIndex;
    }

    /** Leader: the highest index of its term {@code member} took. */
    long matchIndex(int member) {
        return state == State.LEADER ? matchIndex[member] : -1;
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

    long lastLogIndex() {
        return lastLogIndex;
    }

    long noopSubmittedLocal() {
        return noopSubmittedLocal;
    }

    int majority() {
        return majority;
    }
}

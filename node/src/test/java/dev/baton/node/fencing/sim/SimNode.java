package dev.baton.node.fencing.sim;

import dev.baton.node.fencing.FencingAction;
import dev.baton.node.fencing.FencingCore;
import dev.baton.node.fencing.FencingEvent;
import dev.baton.node.fencing.FencingView;
import dev.baton.node.fencing.RaftFacts;
import dev.baton.node.fencing.sim.SimMessage.AppendEntries;
import dev.baton.node.fencing.sim.SimMessage.AppendReply;
import dev.baton.node.fencing.sim.SimMessage.Ack;
import dev.baton.node.fencing.sim.SimMessage.Ping;
import dev.baton.node.fencing.sim.SimMessage.Release;
import dev.baton.node.fencing.sim.SimMessage.RequestVote;
import dev.baton.node.fencing.sim.SimMessage.Stale;
import dev.baton.node.fencing.sim.SimMessage.StartElection;
import dev.baton.node.fencing.sim.SimMessage.Transfer;
import dev.baton.node.fencing.sim.SimMessage.VoteReply;
import dev.baton.node.role.ConsensusState;
import dev.baton.node.role.Role;
import dev.baton.node.role.RolePolicy;
import dev.baton.node.role.RoleState;
import dev.baton.node.role.RoleTracker;
import java.util.List;

/**
 * One simulated process: the real {@link FencingCore}, {@link RolePolicy} and {@link RoleTracker}
 * around a {@link SimRaft}, playing the part of the adapter ({@code LeaseGuard} and {@code
 * RaftConsensus} in production): it turns messages and timers into fencing events and carries out
 * the actions, and derives the role after every input.
 *
 * <p>Its {@link SimProcess} runs, is paused or crashed; a restart keeps only the persistent Raft
 * state: a fresh core, tracker and election timer.
 *
 * <p>A candidate's vote for itself passes through its own core like any other (in production the
 * view coordinator's multicast VoteRequest loops back to it through LeaseGuard).
 *
 * <p>Simplified against production: the role is derived
 * after every input (production derives it on every jgroups-raft role change and every 20 ms, and
 * {@code RaftConsensus.view()} checks the lease on every read, which the checker does here by
 * reading the lease at every instant); a lag would not matter while invariant 2 holds, since no
 * successor can be elected before the deposed leader's lease has run out.
 */
final class SimNode {

    /** The core's handle to a vote request it may hold back. */
    private record HeldVote(int from, RequestVote request) {}

    private final int index;
    private final String id;
    private final SimCluster cluster;
    private final SimConfig config;
    private final SimClock clock;
    private final SimRaft raft;
    private final SimProcess process;
    private FencingCore core;
    private RoleTracker tracker;
    private SimSwitchover switchover; // this node's switchover in progress, or null
    private ElectionTimer elections;

    SimNode(int index, SimCluster cluster, SimClock clock) {
        this.index = index;
        this.id = idOf(index);
        this.cluster = cluster;
        this.config = cluster.config();
        this.clock = clock;
        this.raft = new SimRaft(index, config.nodes());
        this.process = new SimProcess(cluster, clock, this::handle);
    }

    static String idOf(int index) {
        return "n" + (index + 1);
    }

    static int indexOf(String id) {
        return id == null ? -1 : Integer.parseInt(id.substring(1)) - 1;
    }

    // ---- process faults

    /** Starts (or restarts after a crash) the process. */
    void start() {
        process.start();
        long local = localNow();
        core = new FencingCore(config.timing());
        tracker = new RoleTracker(id, local);
        raft.restart();
        switchover = null;
        elections = new ElectionTimer(clock, at -> timer(at, new NodeInput.ElectionDue()),
                local + config.detectionNanos() + jitter(config.timing().renewNanos()));
        timer(local + jitter(config.timing().renewNanos()), new NodeInput.Tick());
        cluster.trace(index, "started, incarnation " + process.incarnation() + ", term " + raft.term());
        cluster.joined(index);
    }

    void crash() {
        process.crash();
        cluster.trace(index, "CRASHED");
        cluster.closedConnections(index);
    }

    void pause() {
        process.pause();
        cluster.trace(index, "PAUSED");
    }

    void resume() {
        cluster.trace(index, "RESUMED");
        int handled = process.resume();
        cluster.trace(index, "handled " + handled + " inputs queued while paused");
    }

    SimProcess.State process() {
        return process.state();
    }

    // ---- inputs

    void input(NodeInput in) {
        process.input(in);
    }

    private void handle(NodeInput in) {
        long local = localNow();
        if (in instanceof NodeInput.Receive r) {
            receive(r.from(), r.message(), local);
        } else if (in instanceof NodeInput.Tick) {
            fence(new FencingEvent.Tick(facts()), local);
            for (int m = 0; m < config.nodes(); m++) {
                if (m != index && raft.lacks(m)) {
                    cluster.send(index, m, new AppendEntries(raft.term(), raft.lastLogIndex())); // resent to a lagging follower
                }
            }
            timer(local + config.timing().renewNanos(), new NodeInput.Tick());
        } else if (in instanceof NodeInput.Wake) {
            fence(new FencingEvent.Wake(), local);
        } else if (in instanceof NodeInput.ProbeDue p) {
            cluster.probe(index, process.incarnation(), p.leaderId());
        } else if (in instanceof NodeInput.ProbeResult p) {
            fence(new FencingEvent.ProbeAnswered(p.leaderId(), p.gone()), local);
        } else if (in instanceof NodeInput.ElectionDue) {
            electionDue(local);
        } else if (in instanceof NodeInput.PeerJoined p) {
            if (raft.rejoined(p.peer())) {
                cluster.send(index, p.peer(), new AppendEntries(raft.term(), raft.lastLogIndex())); // it learns the leader
            }
        } else if (in instanceof NodeInput.SwitchoverRequested r) {
            startSwitchover(r.target(), local);
        } else if (in instanceof NodeInput.SwitchoverStep) {
            switchoverStep(local);
        } else if (in instanceof NodeInput.Leave) {
            leave(local);
            return;
        } else if (in instanceof NodeInput.PeerClosed p) {
            if (!raft.leads() && raft.leader() == p.peer()) {
                // FD_SOCK2 and the crash fast path suspect a crashed leader at once; the view change
                // that follows lets the coordinator start the election soon after
                elections.dueAt(local + jitter(config.timing().renewNanos()));
            }
        }
        evaluateRole(local);
    }

    private void receive(int from, SimMessage m, long local) {
        if (m instanceof AppendEntries a && core.view().beyondTransferPoint(idOf(from), a.term(), raft.term(), a.index(), local)) {
            return; // LeaseGuard: a switchover to another node; the old leader's entries beyond its point are refused
        }
        boolean raftMessage = m instanceof AppendEntries || m instanceof AppendReply || m instanceof RequestVote
                || m instanceof VoteReply || m instanceof StartElection;
        if (raftMessage && from == raft.leader() && !raft.leads()) {
            // LeaseGuard: any message from the leader this node follows starts its promise anew
            fence(new FencingEvent.HeardFromLeader(idOf(from), raft.term()), local);
        }
        if (m instanceof AppendEntries a) {
            if (raft.appendEntries(from, a.term(), a.index())) {
                heardFromLeader(local);
                cluster.send(index, from, new AppendReply(a.term(), a.index()));
            }
        } else if (m instanceof AppendReply a) {
            if (raft.appendReply(from, a)) {
                fence(new FencingEvent.Committed(raft.term(), raft.noopSubmittedLocal()), local);
            }
        } else if (m instanceof RequestVote v) {
            voteRequested(from, v, local);
        } else if (m instanceof VoteReply v) {
            voteReplied(from, v, local);
        } else if (m instanceof Ping p) {
            fence(new FencingEvent.PingReceived(idOf(from), p.term(), p.round(), facts()), local);
            if (from == raft.leader() && p.term() == raft.term() && !raft.leads()) {
                heardFromLeader(local);
            }
        } else if (m instanceof Ack a) {
            fence(new FencingEvent.AckReceived(idOf(from), a.term(), a.round(), facts()), local);
        } else if (m instanceof Stale s) {
            fence(new FencingEvent.StaleReceived(s.term(), facts()), local);
        } else if (m instanceof Release r) {
            fence(new FencingEvent.ReleaseReceived(idOf(from), r.term()), local);
        } else if (m instanceof Transfer t) {
            fence(new FencingEvent.TransferReceived(idOf(from), t.term(), t.lastIndex(), t.target(), facts()), local);
        } else if (m instanceof StartElection e && e.term() >= raft.term() && !raft.leads()) {
            elections.dueAt(local);
        }
    }

    // ---- planned switchover and leaving (Switchover.run, RaftConsensus.stepDown/releaseFollowers)

    private void startSwitchover(int target, long local) {
        if (switchover == null && tracker.current().role() == Role.ACTIVE && raft.leads()) {
            switchover = SimSwitchover.start(switchoverHost, raft.term(), target, local);
        }
    }

    private void switchoverStep(long local) {
        if (switchover != null && !switchover.step(local)) {
            switchover = null;
        }
    }

    private final SimSwitchover.Host switchoverHost = new SimSwitchover.Host() {
        @Override
        public SimRaft raft() {
            return raft;
        }

        @Override
        public void fence(FencingEvent event) {
            SimNode.this.fence(event, localNow());
        }

        @Override
        public void send(int to, SimMessage m) {
            cluster.send(index, to, m);
        }

        @Override
        public void broadcast(SimMessage m) {
            SimNode.this.broadcast(m);
        }

        @Override
        public void stepAt(long local) {
            timer(local, new NodeInput.SwitchoverStep());
        }

        @Override
        public void trace(String text) {
            cluster.trace(index, text);
        }
    };

    private void leave(long local) {
        if (raft.leads()) {
            long term = raft.term();
            fence(new FencingEvent.Surrender(term), local);
            evaluateRole(local);
            fence(new FencingEvent.ReleaseFollowers(term), local);
        }
        crash(); // the channel closes: the peers see it go at once, as after a crash
    }

    /** The failure detector heard from the leader: no election before {@code detection} of silence. */
    private void heardFromLeader(long local) {
        elections.dueAt(local + config.detectionNanos());
    }

    private void electionDue(long local) {
        if (!elections.fired(local)) {
            return;
        }
        if (raft.leads()) {
            heardFromLeader(local); // a leader never times itself out; look again after it stepped down
            return;
        }
        RequestVote request = raft.startElection();
        cluster.trace(index, "starts an election for term " + request.term());
        long retry = config.electionRetryMinNanos()
                + (long) (cluster.random().nextDouble() * (config.electionRetryMaxNanos() - config.electionRetryMinNanos()));
        elections.dueAt(local + retry);
        broadcast(request);
        voteRequested(index, request, local); // its own vote, too, passes through its core
    }

    private void voteRequested(int from, RequestVote request, long local) {
        if (config.votesBypassCore()) {
            castVote(new HeldVote(from, request), local); // a broken variant: the promise holds nothing back
        } else {
            fence(new FencingEvent.VoteRequested(new HeldVote(from, request), idOf(from)), local);
        }
    }

    private void voteReplied(int from, VoteReply reply, long local) {
        if (raft.voteReply(from, reply, local)) {
            cluster.elected(index, raft.term());
            broadcast(new AppendEntries(raft.term(), raft.lastLogIndex()));
        }
    }

    // ---- the core

    private void fence(FencingEvent event, long local) {
        List<FencingAction> actions = core.on(event, local);
        if (cluster.tracing()) {
            cluster.trace(index, event + " -> " + actions);
        }
        for (FencingAction a : actions) {
            act(a, local);
        }
    }

    private void act(FencingAction a, long local) {
        if (a instanceof FencingAction.SendPing p) {
            broadcast(new Ping(p.term(), p.round()));
        } else if (a instanceof FencingAction.SendAck s) {
            cluster.send(index, indexOf(s.to()), new Ack(s.term(), s.round()));
        } else if (a instanceof FencingAction.SendStale s) {
            cluster.send(index, indexOf(s.to()), new Stale(s.term(), s.staleTerm()));
        } else if (a instanceof FencingAction.SendRelease r) {
            broadcast(new Release(r.term()));
        } else if (a instanceof FencingAction.SendTransfer t) {
            broadcast(new Transfer(t.term(), t.target(), t.lastIndex()));
        } else if (a instanceof FencingAction.AdoptTerm t) {
            raft.adopt(indexOf(t.leaderId()), t.term());
            heardFromLeader(local);
        } else if (a instanceof FencingAction.DeliverVote d) {
            castVote((HeldVote) d.vote(), local);
        } else if (a instanceof FencingAction.WakeAt w) {
            timer(w.atNanos(), new NodeInput.Wake());
        } else if (a instanceof FencingAction.Probe p) {
            timer(p.atNanos(), new NodeInput.ProbeDue(p.leaderId()));
        }
        if (a instanceof FencingAction.VoteHeld h && h.promisedTo() == null) {
            FencingView v = core.view();
            cluster.heldWithoutPromise(v.leaseHolds(v.leaseTerm(), local)); // else: a fresh core's grant
        }
    }

    private void castVote(HeldVote v, long local) {
        VoteReply reply = raft.vote(v.from(), v.request());
        if (v.from() == index) {
            voteReplied(index, reply, local);
            return;
        }
        if (reply.granted()) {
            heardFromLeader(local); // Raft: granting a vote resets the election timer
        }
        cluster.send(index, v.from(), reply);
    }

    private void broadcast(SimMessage m) {
        for (int n = 0; n < config.nodes(); n++) {
            if (n != index) {
                cluster.send(index, n, m);
            }
        }
    }

    private RaftFacts facts() {
        return new RaftFacts(id, raft.term(), raft.leader() < 0 ? null : idOf(raft.leader()), raft.leads(), raft.majority());
    }

    // ---- the role, as RaftConsensus.evaluate derives it

    private void evaluateRole(long local) {
        if (process.state() == SimProcess.State.CRASHED) {
            return;
        }
        long term = raft.term();
        boolean self = raft.leads();
        String leaderId = raft.leader() < 0 ? null : idOf(raft.leader());
        FencingView view = core.view();
        boolean leaseHeld = self && view.leaseHolds(term, local);
        RoleState previous = tracker.current();
        boolean ledThisTerm = previous.term() == term && (previous.role() == Role.ACTIVE || previous.role() == Role.FENCED);
        Role role = RolePolicy.decide(new ConsensusState(term, leaderId, self, raft.readyTerm(), leaseHeld, false, false, ledThisTerm));
        String followed = role == Role.FENCED ? null : leaderId;
        long heard = followed == null ? -1 : view.sinceHeardFrom(followed, term, local);
        boolean live = !self && heard >= 0 && heard <= config.timing().grantNanos();
        if (tracker.update(role, term, followed, live, local)) {
            cluster.trace(index, "became " + role + " at term " + term + " (leader " + followed + ")");
        }
    }

    // ---- what the checkers read (at any true instant)

    /** Whether this process acts as the ACTIVE at true time {@code trueNanos}: RaftConsensus.view(). */
    boolean activeAt(long trueNanos) {
        if (process.state() == SimProcess.State.CRASHED) {
            return false; // a paused process counts: it acts the moment it resumes
        }
        RoleState s = tracker.current();
        return s.role() == Role.ACTIVE && core.view().leaseHolds(s.term(), clock.localAt(trueNanos));
    }

    /** The term whose lease this process holds at {@code trueNanos} on its own clock, or -1. */
    long leaseTermAt(long trueNanos) {
        if (process.state() == SimProcess.State.CRASHED) {
            return -1;
        }
        FencingView v = core.view();
        return v.leaseHolds(v.leaseTerm(), clock.localAt(trueNanos)) ? v.leaseTerm() : -1;
    }

    long illegalTransitions() {
        return tracker == null ? 0 : tracker.illegalTransitions();
    }

    boolean leads() {
        return process.state() != SimProcess.State.CRASHED && raft.leads();
    }

    long term() {
        return raft.term();
    }

    String id() {
        return id;
    }

    int incarnation() {
        return process.incarnation();
    }

    String describe() {
        RoleState s = tracker == null ? null : tracker.current();
        return id + "[" + process.state() + " " + raft.state() + " t" + raft.term() + " " + (s == null ? "-" : s.role()) + " clock "
                + clock + "]";
    }

    // ---- time

    private long localNow() {
        return process.localNow();
    }

    private long jitter(long maxNanos) {
        return (long) (cluster.random().nextDouble() * maxNanos);
    }

    private void timer(long atLocal, NodeInput in) {
        process.timer(atLocal, in);
    }
}

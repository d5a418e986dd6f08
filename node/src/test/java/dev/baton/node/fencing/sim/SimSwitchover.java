package dev.baton.node.fencing.sim;

import dev.baton.node.fencing.FencingEvent;
import dev.baton.node.fencing.sim.SimMessage.AppendEntries;
import dev.baton.node.fencing.sim.SimMessage.StartElection;

/**
 * A planned switchover on the old leader, as {@code Switchover.run} does it, one step per timer of
 * the old leader's process (so that pauses and crashes hit it too): surrender the lease; wait until
 * the target has the whole log; announce the switch point and append the hand-over entry, which
 * only the target takes; ask the target to run an election; wait until some newer term is seen.
 * A step that times out fails the switchover: the old leader releases its followers' promises and
 * the cluster elects as after a failure.
 *
 * <p>Simplified against production: the target runs the election itself (there, the view
 * coordinator does, and picks the longest log); the old leader's vote need not under-report its
 * log, since a candidate-driven election compares logs with the candidate's.
 *
 * <p>Owned by the old leader's {@link SimNode}; lost in a crash.
 */
final class SimSwitchover {

    /** What a switchover acts through: its node. */
    interface Host {
        SimRaft raft();

        /** Applies a fencing event at the current local time and carries out its actions. */
        void fence(FencingEvent event);

        void send(int to, SimMessage m);

        void broadcast(SimMessage m);

        /** Delivers a {@link NodeInput.SwitchoverStep} when the node's clock reads {@code local}. */
        void stepAt(long local);

        void trace(String text);
    }

    private enum Phase { CATCH_UP, HAND_OVER, ELECTION }

    private static final long STEP_NANOS = 10 * SimConfig.MS;
    private static final long CATCH_UP_NANOS = 1_000 * SimConfig.MS; // Switchover.TRANSFER_STEP_MS
    private static final long ELECTION_NANOS = 3_000 * SimConfig.MS;
    /** A fault plan waits this long after starting one before it heals everything. */
    static final long LONGEST_NANOS = 2 * CATCH_UP_NANOS + ELECTION_NANOS + 100 * SimConfig.MS;

    private final Host host;
    private final long term;
    private final int target;
    private Phase phase = Phase.CATCH_UP;
    private long handOverIndex;
    private long deadlineLocal;

    private SimSwitchover(Host host, long term, int target, long local) {
        this.host = host;
        this.term = term;
        this.target = target;
        this.deadlineLocal = local + CATCH_UP_NANOS;
    }

    /** The leader of {@code term} gives its lease up and starts handing the term over to {@code target}. */
    static SimSwitchover start(Host host, long term, int target, long local) {
        host.trace("switching over term " + term + " to " + SimNode.idOf(target));
        host.fence(new FencingEvent.Surrender(term));
        host.stepAt(local + STEP_NANOS);
        return new SimSwitchover(host, term, target, local);
    }

    /** The next step; returns false once the switchover is over (done or failed). */
    boolean step(long local) {
        SimRaft raft = host.raft();
        if (!raft.leads() || raft.term() != term) {
            end(false); // a newer term: done, or someone else was elected
            return false;
        }
        if (local - deadlineLocal >= 0) {
            end(true);
            return false;
        }
        long targetHas = raft.matchIndex(target);
        if (phase == Phase.CATCH_UP && targetHas >= raft.lastLogIndex()) {
            host.fence(new FencingEvent.AnnounceTransfer(term, SimNode.idOf(target), raft.lastLogIndex()));
            handOverIndex = raft.append();
            host.broadcast(new AppendEntries(term, handOverIndex));
            phase = Phase.HAND_OVER;
            deadlineLocal = local + CATCH_UP_NANOS;
        } else if (phase == Phase.HAND_OVER && targetHas >= handOverIndex) {
            host.send(target, new StartElection(term));
            phase = Phase.ELECTION;
            deadlineLocal = local + ELECTION_NANOS;
        }
        host.stepAt(local + STEP_NANOS);
        return true;
    }

    private void end(boolean failed) {
        host.fence(new FencingEvent.EndTransfer());
        host.trace("switchover of term " + term + (failed ? " failed" : " over"));
        SimRaft raft = host.raft();
        if (failed && raft.leads() && raft.term() == term) {
            host.fence(new FencingEvent.ReleaseFollowers(term)); // it gave its lease up: let them elect
        }
    }
}

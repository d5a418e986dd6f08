package dev.baton.node.fencing.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The operating-system side of one simulated node: whether its process runs, is paused (SIGSTOP:
 * inputs queue up, as in socket buffers and overdue timers, and are all handled at the resume, with
 * the clock read then, so they fire late) or is crashed (inputs are lost), and its timers, which
 * fire on its own {@link SimClock} and never for a later incarnation than the one that set them.
 */
final class SimProcess {

    enum State { RUNNING, PAUSED, CRASHED }

    private final SimCluster cluster;
    private final SimClock clock;
    private final Consumer<NodeInput> program;
    private final List<NodeInput> queuedWhilePaused = new ArrayList<>();
    private State state = State.CRASHED;
    private int incarnation;

    /** @param program handles each input, one at a time, while the process runs */
    SimProcess(SimCluster cluster, SimClock clock, Consumer<NodeInput> program) {
        this.cluster = cluster;
        this.clock = clock;
        this.program = program;
    }

    /** A new incarnation runs (the program sets itself up right after). */
    void start() {
        incarnation++;
        state = State.RUNNING;
        queuedWhilePaused.clear();
    }

    void crash() {
        state = State.CRASHED;
        queuedWhilePaused.clear();
    }

    void pause() {
        state = State.PAUSED;
    }

    /** Runs again: everything that arrived or fell due meanwhile is handled now, in order. */
    int resume() {
        state = State.RUNNING;
        List<NodeInput> queued = new ArrayList<>(queuedWhilePaused);
        queuedWhilePaused.clear();
        for (NodeInput in : queued) {
            if (state == State.RUNNING) {
                program.accept(in);
            }
        }
        return queued.size();
    }

    void input(NodeInput in) {
        if (state == State.RUNNING) {
            program.accept(in);
        } else if (state == State.PAUSED) {
            queuedWhilePaused.add(in);
        }
    }

    /** Delivers {@code in} to this incarnation when its clock reads {@code atLocal}. */
    void timer(long atLocal, NodeInput in) {
        int inc = incarnation;
        cluster.at(clock.trueAt(atLocal), () -> {
            if (inc == incarnation) {
                input(in);
            }
        });
    }

    long localNow() {
        return clock.localAt(cluster.now());
    }

    State state() {
        return state;
    }

    int incarnation() {
        return incarnation;
    }
}

package dev.baton.node.fencing.sim;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The last lines of a run's event trace, kept only when asked for: a run is first made without it
 * (speed), and a failing seed is run again with it, which gives the same run.
 */
final class Trace {

    private final boolean on;
    private final int keep;
    private final ArrayDeque<String> lines = new ArrayDeque<>();

    Trace(boolean on, int keep) {
        this.on = on;
        this.keep = keep;
    }

    boolean on() {
        return on;
    }

    void add(long trueNanos, String who, String text) {
        if (!on) {
            return;
        }
        if (lines.size() == keep) {
            lines.removeFirst();
        }
        lines.addLast(String.format("%10.3f ms %-4s %s", trueNanos / 1e6, who, text));
    }

    List<String> lines() {
        return new ArrayList<>(lines);
    }
}

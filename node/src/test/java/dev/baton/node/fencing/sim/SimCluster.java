package dev.baton.node.fencing.sim;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;

/**
 * One simulated cluster and its run: the nodes, the network, the scheduler and the checker, all
 * driven by one {@link Random} made from the seed. Nothing reads a wall clock, starts a thread or
 * iterates a hash map, so a seed always gives the same run ({@link Simulation#run} replays a
 * failure with its trace on).
 */
final class SimCluster {

    private final SimConfig config;
    private final long seed;
    private final Random random;
    private final EventQueue queue = new EventQueue();
    private final SimNetwork network;
    private final SimNode[] nodes;
    private final InvariantChecker checker;
    private final Trace trace;
    private final Map<Long, Integer> leaderOfTerm = new HashMap<>(); // looked up only, never iterated
    private long actions;
    private long heldByOwnLease;
    private long heldAfterStart;

    SimCluster(SimConfig config, long seed, boolean tracing) {
        this.config = config;
        this.seed = seed;
        this.random = new Random(seed);
        this.trace = new Trace(tracing, 400);
        this.network = new SimNetwork(random, config.nodes(), 50_000, SimConfig.MS);
        this.nodes = new SimNode[config.nodes()];
        for (int i = 0; i < nodes.length; i++) {
            long ppm = config.maxDriftPpm() == 0 ? 0 : random.nextLong(-config.maxDriftPpm(), config.maxDriftPpm() + 1);
            // any origin: some near Long.MAX_VALUE, so that the core's arithmetic must survive the wrap
            long origin = random.nextBoolean() ? random.nextLong() : Long.MAX_VALUE - random.nextInt(1_000_000_000);
            nodes[i] = new SimNode(i, this, new SimClock(origin, ppm));
        }
        this.checker = new InvariantChecker(nodes, config.livenessBoundNanos());
    }

    SimOutcome run() {
        long healedAt = new FaultPlan(this).schedule();
        checker.healedAt(healedAt);
        for (SimNode n : nodes) {
            at(random.nextInt(50) * SimConfig.MS, n::start);
        }
        long end = healedAt + config.livenessBoundNanos();
        try {
            while (queue.runNext(end)) {
                actions++;
                checker.afterAction(queue.now());
                if (trace.on() && checker.violation() != null) {
                    break; // a traced run is for the report: its tail ends at the first violation
                }
            }
        } catch (ModelViolation e) {
            checker.modelViolation(e.getMessage());
        }
        checker.finish();
        if (checker.violation() != null) {
            trace(-1, "VIOLATION: " + checker.violation());
            for (SimNode n : nodes) {
                trace(-1, n.describe());
            }
        }
        return new SimOutcome(seed, config.nodes(), checker.violation(), Map.copyOf(checker.violations()), actions, healedAt,
                checker.recoveryNanos(), heldByOwnLease, heldAfterStart, trace.lines());
    }

    // ---- for the nodes

    SimConfig config() {
        return config;
    }

    Random random() {
        return random;
    }

    long now() {
        return queue.now();
    }

    void at(long trueNanos, Runnable action) {
        queue.at(trueNanos, action);
    }

    /** Sends {@code m}; it arrives unless lost or cut off by a partition when sent or when it arrives. */
    void send(int from, int to, SimMessage m) {
        long delay = network.delayOrLost(from, to);
        if (delay < 0) {
            trace(from, "lost " + m + " to " + SimNode.idOf(to));
            return;
        }
        queue.at(now() + delay, () -> {
            if (network.connected(from, to)) {
                nodes[to].input(new NodeInput.Receive(from, m));
            }
        });
    }

    /** A view change: the peers connected to the (re)started {@code node} see it join. */
    void joined(int node) {
        for (int p = 0; p < nodes.length; p++) {
            if (p != node && network.bothWays(node, p)) {
                int peer = p;
                queue.at(now() + SimConfig.MS + random.nextInt(20) * SimConfig.MS,
                        () -> nodes[peer].input(new NodeInput.PeerJoined(node)));
            }
        }
    }

    /** FD_SOCK2: the peers connected to the crashed {@code node} see its socket close. */
    void closedConnections(int node) {
        for (int p = 0; p < nodes.length; p++) {
            if (p != node && network.bothWays(node, p)) {
                int peer = p;
                queue.at(now() + SimConfig.MS + random.nextInt(4) * SimConfig.MS,
                        () -> nodes[peer].input(new NodeInput.PeerClosed(node)));
            }
        }
    }

    /**
     * PortProbe: "refused" (gone) only if the target process is crashed and reachable; a paused
     * process still accepts (the kernel does), and a partition drops the SYN, so the probe times out
     * (50 ms) and says nothing.
     */
    void probe(int from, int incarnation, String leaderId) {
        int target = SimNode.indexOf(leaderId);
        boolean reachable = network.bothWays(from, target);
        boolean gone = reachable && nodes[target].process() == SimProcess.State.CRASHED;
        long latency = reachable ? 100_000 + random.nextInt(1_000_000) : 50 * SimConfig.MS;
        queue.at(now() + latency, () -> {
            if (nodes[from].incarnation() == incarnation) {
                nodes[from].input(new NodeInput.ProbeResult(leaderId, gone));
            }
        });
    }

    void elected(int node, long term) {
        Integer before = leaderOfTerm.putIfAbsent(term, node);
        if (before != null && before != node) {
            throw new ModelViolation("Raft election safety: n" + (before + 1) + " and n" + (node + 1) + " both won term " + term);
        }
        trace(node, "ELECTED leader of term " + term);
        checker.elected(node, term, now());
    }

    /** A core held a vote request without a promise: by its own lease, or in the grant after its start. */
    void heldWithoutPromise(boolean byOwnLease) {
        if (byOwnLease) {
            heldByOwnLease++;
        } else {
            heldAfterStart++;
        }
    }

    boolean tracing() {
        return trace.on();
    }

    void trace(int node, String text) {
        if (trace.on()) {
            trace.add(now(), node < 0 ? "--" : SimNode.idOf(node), text);
        }
    }

    // ---- for the fault plan

    SimNode[] nodes() {
        return nodes;
    }

    SimNetwork network() {
        return network;
    }
}

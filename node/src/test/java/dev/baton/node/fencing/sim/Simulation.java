package dev.baton.node.fencing.sim;

/**
 * Entry point: one schedule per seed. The cluster size comes from the seed too (even: 3 nodes,
 * odd: 5), so a seed alone replays a run.
 */
final class Simulation {

    private Simulation() {}

    static int nodesFor(long seed) {
        return (seed & 1) == 0 ? 3 : 5;
    }

    /** Runs the schedule of {@code seed} with the default configuration of its size. */
    static SimOutcome run(long seed, boolean tracing) {
        return new SimCluster(SimConfig.defaults(nodesFor(seed)), seed, tracing).run();
    }

    /** Runs the schedule of {@code seed} with {@code config}. */
    static SimOutcome run(SimConfig config, long seed, boolean tracing) {
        return new SimCluster(config, seed, tracing).run();
    }
}

package dev.baton.node.fencing.sim;

import dev.baton.node.config.LeaseTiming;
import dev.baton.node.fencing.FencingTiming;
import java.util.concurrent.TimeUnit;

/**
 * The parameters of one simulated cluster. Defaults follow production's: {@link
 * LeaseTiming#DEFAULTS} (lease 400, renew 100, grant 550 ms) and failure detection of FD_ALL3 600
 * ms + VERIFY_SUSPECT2 150 ms.
 *
 * @param nodes cluster size
 * @param timing the fencing core's timings
 * @param detectionNanos silence from the leader after which a node starts an election
 * @param electionRetryMinNanos a candidate that did not win tries again after a random time in
 *     [min, max] (what keeps split votes from repeating)
 * @param electionRetryMaxNanos see {@code electionRetryMinNanos}
 * @param maxDriftPpm each node's clock runs at a rate error drawn from [-max, +max] parts per million
 * @param minRestartNanos a crashed process is back after a time drawn from [min, max]; by default
 *     20 ms to 3 s, faster than production restarts can be (JVM start, join), since the core must
 *     not depend on how long one takes
 * @param maxRestartNanos see {@code minRestartNanos}
 * @param maxFaults each schedule injects 1..maxFaults faults
 * @param livenessBoundNanos after the last fault heals, a node must be ACTIVE within this
 * @param votesBypassCore a broken variant: vote requests go straight to the election, unfenced
 */
record SimConfig(
        int nodes,
        FencingTiming timing,
        long detectionNanos,
        long electionRetryMinNanos,
        long electionRetryMaxNanos,
        long maxDriftPpm,
        long minRestartNanos,
        long maxRestartNanos,
        int maxFaults,
        long livenessBoundNanos,
        boolean votesBypassCore) {

    static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    static SimConfig defaults(int nodes) {
        return new SimConfig(nodes, FencingTiming.of(LeaseTiming.DEFAULTS), 750 * MS, 150 * MS, 450 * MS, 50_000,
                20 * MS, 3_000 * MS, 5, 3_000 * MS, false);
    }

    SimConfig withTiming(FencingTiming t) {
        return new SimConfig(nodes, t, detectionNanos, electionRetryMinNanos, electionRetryMaxNanos, maxDriftPpm,
                minRestartNanos, maxRestartNanos, maxFaults, livenessBoundNanos, votesBypassCore);
    }

    SimConfig withMaxDriftPpm(long ppm) {
        return new SimConfig(nodes, timing, detectionNanos, electionRetryMinNanos, electionRetryMaxNanos, ppm,
                minRestartNanos, maxRestartNanos, maxFaults, livenessBoundNanos, votesBypassCore);
    }

    SimConfig withRestartNanos(long min, long max) {
        return new SimConfig(nodes, timing, detectionNanos, electionRetryMinNanos, electionRetryMaxNanos, maxDriftPpm,
                min, max, maxFaults, livenessBoundNanos, votesBypassCore);
    }

    SimConfig withVotesBypassingCore() {
        return new SimConfig(nodes, timing, detectionNanos, electionRetryMinNanos, electionRetryMaxNanos, maxDriftPpm,
                minRestartNanos, maxRestartNanos, maxFaults, livenessBoundNanos, true);
    }
}

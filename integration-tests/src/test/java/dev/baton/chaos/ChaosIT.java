package dev.baton.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The short chaos profile run by {@code mvn verify}: about 100 s of faults on 3 nodes, then on 5
 * nodes (about 4-5 minutes in all), with the four checkers. The seed is printed; replay one with
 * {@code -Dchaos.seed=S} (and change the length with {@code -Dchaos.seconds=N}). Files of a failing
 * run are kept in {@code integration-tests/target/chaos/<seed>/}.
 *
 * <p>A seed's schedule (fault kinds, targets by role, durations, pauses) is reproducible; the
 * cluster's reactions are not exactly, so a replay re-creates the situation rather than the run.
 */
class ChaosIT {

    /**
     * Liveness bound: some node must be ACTIVE this soon after each fault heals. 20 s: a heal
     * needs a MERGE3 round (1-3 s) plus an election; after a 5-node "bridge" partition, where one
     * node sees both sides, 10.4 s was measured (seed 1795648348218). Faster recovery from such
     * views is open work (issue 3); this bound catches a cluster that stays without an ACTIVE.
     */
    static final Duration LIVENESS_BOUND = Duration.ofSeconds(20);

    /** One seed for both runs of this JVM (printed by each). */
    private static final long SEED = System.currentTimeMillis();

    @Test
    void threeNodes() throws InterruptedException {
        run("ChaosIT-3", 3, 100);
    }

    @Test
    void fiveNodes() throws InterruptedException {
        run("ChaosIT-5", 5, 100);
    }

    private static void run(String name, int nodes, int defaultSeconds) throws InterruptedException {
        long seed = Long.getLong("chaos.seed", SEED);
        int seconds = Integer.getInteger("chaos.seconds", defaultSeconds);
        ChaosReport report = new ChaosRun(new ChaosRun.Config(name, nodes, Duration.ofSeconds(seconds), seed, 4, 3,
                LIVENESS_BOUND, Path.of("target", "chaos").toAbsolutePath(), false)).run();
        System.out.println(report.render());
        assertThat(report.violations()).as("violations of chaos run %s, seed %d (replay: -Dchaos.seed=%d)", name, seed,
                seed).isEmpty();
        assertThat(report.faults()).as("faults injected").isPositive();
        assertThat(report.count(Op.Outcome.OK)).as("ok operations").isPositive();
    }
}

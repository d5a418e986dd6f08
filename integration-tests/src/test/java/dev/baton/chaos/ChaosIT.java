package dev.baton.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import dev.baton.it.SecureMaterial;
import dev.baton.it.TestCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The short chaos profile run by {@code mvn verify}: about 100 s of faults on 3 nodes, then on 5
 * nodes (the 3-node run with peer TLS, HTTPS and a token on; about 4-5 minutes in all), with the checkers of {@link ChaosRun}; a node that exits on its
 * own is a violation too, and every fault kind must have run (see {@link FaultCoverage}). The seed is printed; replay one with
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

    /**
     * 3 nodes with TLS on everywhere ({@link SecureMaterial}: peer TLS, HTTPS, an admin token for
     * the workload and every checker), so each fault kind also hits TLS connections and token
     * checks; the 5-node run stays plain.
     */
    @TestFactory
    Stream<DynamicTest> threeNodesSecure() throws Exception {
        String name = "ChaosIT-3-secure";
        return run(name, 3, 100, SecureMaterial.create(TestCluster.itDir().resolve(name + "-certs")));
    }

    /**
     * On demand ({@code scripts/chaos.sh short}, or {@code -Dchaos.full=true}): with every other
     * test the default suite outgrew its 20 minutes (23.5 on a quiet 2-core machine), and this is
     * the longest part of it; the 3-node run above keeps every fault kind, with TLS, in each build.
     */
    @TestFactory
    @EnabledIfSystemProperty(named = "chaos.full", matches = "true",
            disabledReason = "the 5-node chaos run is on demand: scripts/chaos.sh short (or -Dchaos.full=true)")
    Stream<DynamicTest> fiveNodes() throws InterruptedException {
        return run("ChaosIT-5", 5, 100, null);
    }

    /**
     * Runs the chaos profile, then reports its parts: the checkers, and one part per fault kind. A
     * kind that did not run fails under {@code CI=true} and is reported as aborted (skipped, with
     * the reason) elsewhere, so a run without partition faults never passes as a full run.
     */
    private static Stream<DynamicTest> run(String name, int nodes, int defaultSeconds, SecureMaterial secure)
            throws InterruptedException {
        long seed = Long.getLong("chaos.seed", SEED);
        int seconds = Integer.getInteger("chaos.seconds", defaultSeconds);
        ChaosReport report = new ChaosRun(new ChaosRun.Config(name, nodes, Duration.ofSeconds(seconds), seed, 4, 3,
                LIVENESS_BOUND, Path.of("target", "chaos").toAbsolutePath(), false, secure)).run();
        System.out.println(report.render());
        boolean ci = FaultCoverage.requiredHere();
        Stream<DynamicTest> checkers = checkers(name, seed, report);
        Stream<DynamicTest> kinds = Arrays.stream(Fault.Kind.values()).map(kind -> dynamicTest("fault " + kind + " injected",
                () -> {
                    int count = report.faultsByKind().getOrDefault(kind, 0);
                    if (count > 0) {
                        assertThat(count).isPositive();
                        return;
                    }
                    String why = name + ": fault " + kind + " NOT EXERCISED: " + report.notExercised().get(kind);
                    if (ci) {
                        fail(why + " (CI=true requires every fault kind)");
                    }
                    Assumptions.abort(why);
                }));
        return Stream.concat(checkers, kinds);
    }

    private static Stream<DynamicTest> checkers(String name, long seed, ChaosReport report) {
        return Stream.of(
                dynamicTest("no checker finds a violation", () -> assertThat(report.violations())
                        .as("violations of chaos run %s, seed %d (replay: -Dchaos.seed=%d)", name, seed, seed).isEmpty()),
                dynamicTest("operations succeed", () -> assertThat(report.count(Op.Outcome.OK)).as("ok operations")
                        .isPositive()));
    }
}

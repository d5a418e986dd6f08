package dev.baton.node.fencing.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Random schedules of 3- and 5-node clusters against the invariants of {@link InvariantChecker}.
 *
 * <ul>
 *   <li>{@code -Dsim.schedules=N}: how many (default 10,000; e.g. 1,000,000 for a long run)
 *   <li>{@code -Dsim.firstSeed=S}: the first seed (default 0); seeds run from S to S+N-1
 *   <li>{@code -Dsim.seed=S}: replay one seed, print its trace tail whatever the outcome
 * </ul>
 */
class SimulationTest {

    @Test
    void randomSchedulesKeepOneActiveAndLeasesWithinPromises() {
        Long replay = Long.getLong("sim.seed");
        if (replay != null) {
            SimOutcome o = Simulation.run(replay, true);
            System.out.println(o.failed() ? o.report() : String.join("\n", o.trace()) + "\nseed " + replay + ": ok");
            assertThat(o.violation()).as("seed %d", replay).isNull();
            return;
        }
        int schedules = Integer.getInteger("sim.schedules", 10_000);
        long first = Long.getLong("sim.firstSeed", 0L);
        List<String> failures = new ArrayList<>();
        long events = 0;
        long worstRecovery = 0;
        int maxFailures = Integer.getInteger("sim.maxFailures", 3);
        int run = 0;
        long startedNanos = System.nanoTime(); // only to report speed; no assertion depends on it
        for (long seed = first; seed < first + schedules; seed++) {
            SimOutcome o = Simulation.run(seed, false);
            run++;
            events += o.events();
            worstRecovery = Math.max(worstRecovery, o.recoveryNanos());
            if (o.failed()) {
                SimOutcome report = maxFailures > 3 ? o : Simulation.run(seed, true);
                failures.add("replay with -Dsim.seed=" + seed + ": " + report.report());
                if (failures.size() >= maxFailures) {
                    break;
                }
            }
        }
        double seconds = (System.nanoTime() - startedNanos) / 1e9;
        System.out.printf("simulation: %d schedules in %.1f s (%.0f schedules/s, %d actions), worst recovery after heal %.0f ms%n",
                run, seconds, run / seconds, events, worstRecovery / 1e6);
        failures.forEach(System.out::println);
        assertThat(failures).as("failing schedules").isEmpty();
    }
}

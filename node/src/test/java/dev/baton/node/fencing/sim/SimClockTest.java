package dev.baton.node.fencing.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The simulated clock: its rate error, its wrap-around, and the timer inverse the scheduler relies on. */
class SimClockTest {

    @Test
    void runsAtItsRateError() {
        SimClock fast = new SimClock(0, 50_000); // +5%
        SimClock slow = new SimClock(0, -50_000);

        assertThat(fast.localAt(1_000_000_000L)).isEqualTo(1_050_000_000L);
        assertThat(slow.localAt(1_000_000_000L)).isEqualTo(950_000_000L);
    }

    @Test
    void wrapsAroundLikeNanoTime() {
        SimClock c = new SimClock(Long.MAX_VALUE - 10, 0);

        assertThat(c.localAt(20)).isEqualTo(Long.MIN_VALUE + 9);
        assertThat(c.localAt(20) - c.localAt(0)).isEqualTo(20); // differences stay right
    }

    @Test
    void trueAtIsTheEarliestInstantTheClockReadsALocalTime() {
        Random r = new Random(42);
        for (int i = 0; i < 10_000; i++) {
            SimClock c = new SimClock(r.nextLong(), r.nextLong(-250_000, 250_001));
            long local = c.localAt(r.nextLong(1, 100_000_000_000L)) + r.nextInt(1_000);

            long t = c.trueAt(local);

            assertThat(c.localAt(t) - local).isGreaterThanOrEqualTo(0);
            assertThat(c.localAt(t - 1) - local).isNegative();
        }
    }
}

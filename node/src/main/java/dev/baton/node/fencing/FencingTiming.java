package dev.baton.node.fencing;

import dev.baton.node.config.LeaseTiming;
import java.util.concurrent.TimeUnit;

/**
 * The timings of the fencing core, in nanoseconds of the node's monotonic clock.
 *
 * @param leaseNanos how long a majority-acknowledged lease round lets the leader act (from the
 *     round's start)
 * @param renewNanos how often the leader starts a lease round (one {@link FencingEvent.Tick} each)
 * @param grantNanos how long a follower helps elect no one else after it last heard from its
 *     leader (and any node after it started, or while it holds a lease itself); safety needs {@code leaseNanos < grantNanos} with a margin for clock-rate drift
 *     (validated on the node's config, {@link LeaseTiming}; not here, so that a simulation can
 *     show what a broken rule does)
 * @param probeIntervalNanos how often a follower holding a vote probes its silent leader's port
 * @param transferHoldNanos how long a follower keeps refusing the old leader's entries beyond a
 *     switchover point (the switchover fails long before)
 */
public record FencingTiming(long leaseNanos, long renewNanos, long grantNanos, long probeIntervalNanos, long transferHoldNanos) {

    public FencingTiming {
        if (leaseNanos <= 0 || renewNanos <= 0 || grantNanos <= 0 || probeIntervalNanos <= 0 || transferHoldNanos <= 0) {
            throw new IllegalArgumentException("fencing timings must be positive");
        }
    }

    /** From the node's validated config. */
    public static FencingTiming of(LeaseTiming t) {
        return new FencingTiming(ms(t.leaseMs()), ms(t.renewMs()), ms(t.grantMs()), ms(t.probeIntervalMs()),
                ms(t.transferHoldMs()));
    }

    private static long ms(long ms) {
        return TimeUnit.MILLISECONDS.toNanos(ms);
    }
}

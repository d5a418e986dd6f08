package dev.baton.node.config;

/**
 * Leader lease timings (see {@code dev.baton.node.raft.LeaseGuard}).
 *
 * <p>The leader renews every {@code renewMs}; it is ACTIVE while a majority acknowledged a round it
 * started less than {@code leaseMs} ago. A follower holds back votes for {@code grantMs} after it
 * last heard from its leader. Safety needs {@code leaseMs < grantMs} with a margin for clock-rate
 * drift and scheduling ({@code grantMs >= leaseMs + max(50, leaseMs/8)}); failover is not slowed by
 * the promise as long as {@code grantMs <= fdTimeoutMs + verifySuspectMs}, the time the failure
 * detectors need anyway to remove a silent leader.
 *
 * <p>While a follower holds a vote back for a silent leader, it probes the leader's transport port
 * every {@code probeIntervalMs} (each probe of a live leader costs it a failed accept, so not too
 * often; a refused connection ends the promise at once: the crash fast path). A follower that saw
 * a switchover to another node refuses the old leader's entries beyond the switch point for at most
 * {@code transferHoldMs}.
 */
public record LeaseTiming(long leaseMs, long renewMs, long grantMs, long probeIntervalMs, long transferHoldMs) {

    public static final long DEFAULT_PROBE_INTERVAL_MS = 50;
    public static final long DEFAULT_TRANSFER_HOLD_MS = 3_000;

    public static final LeaseTiming DEFAULTS = new LeaseTiming(400, 100, 550);

    /** With the default probe interval and transfer hold. */
    public LeaseTiming(long leaseMs, long renewMs, long grantMs) {
        this(leaseMs, renewMs, grantMs, DEFAULT_PROBE_INTERVAL_MS, DEFAULT_TRANSFER_HOLD_MS);
    }

    public LeaseTiming {
        if (probeIntervalMs < 1 || probeIntervalMs > grantMs) {
            throw new ConfigException("--probe-interval-ms", probeIntervalMs + " is outside 1-" + grantMs + " (--lease-grant-ms)");
        }
        if (transferHoldMs < 100) {
            throw new ConfigException("transferHoldMs", transferHoldMs + " is below 100");
        }
        if (renewMs < 10) {
            throw new ConfigException("--lease-renew-ms", renewMs + " is below 10");
        }
        if (leaseMs < 3 * renewMs) {
            throw new ConfigException("--lease-ms", leaseMs + " must be at least 3 x --lease-renew-ms (" + renewMs
                    + ") so that one late renewal does not fence the leader");
        }
        long minGrant = leaseMs + Math.max(50, leaseMs / 8);
        if (grantMs < minGrant) {
            throw new ConfigException("--lease-grant-ms", grantMs + " must be at least " + minGrant
                    + " (--lease-ms + max(50, lease/8)): a follower's promise must outlast the lease it backs");
        }
    }

    /** The default grant for a lease: lease + max(50, lease/8) + 100 ms of slack. */
    public static long defaultGrantMs(long leaseMs) {
        return leaseMs + Math.max(50, leaseMs / 8) + 100;
    }

    void checkAgainst(Detection d) {
        if (grantMs > d.fdTimeoutMs() + d.verifySuspectMs()) {
            throw new ConfigException("--lease-grant-ms", grantMs + " exceeds --fd-timeout-ms + --verify-suspect-ms ("
                    + (d.fdTimeoutMs() + d.verifySuspectMs()) + "): failover would wait for the promise; lower --lease-ms");
        }
    }
}

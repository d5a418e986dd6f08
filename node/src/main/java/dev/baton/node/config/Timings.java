package dev.baton.node.config;

/**
 * The node's own timings, besides failure detection ({@link Detection}) and the lease ({@link
 * LeaseTiming}). Each has a documented default ({@link #DEFAULTS}); all are validated here.
 *
 * @param rolePollMs how often the role thread looks at the Raft state (it also runs at once on a
 *     jgroups-raft role change; followers learn of a new leader only by looking). Default 20.
 * @param electionStallMs a view coordinator with a majority that has known no leader this long runs
 *     a voting round itself (jgroups-raft's pre-vote can wait forever). Default 3000.
 * @param leaderSilenceMs a follower that heard nothing from the leader in its view this long reports
 *     it as suspected (asymmetric views after false suspicion). Must exceed the lease grant. Default 3000.
 * @param switchoverStepMs how long each step of a planned switchover may take (catch up, hand-over
 *     entry); the election step gets three times this. Default 1000.
 * @param noFailoverRetryMs how often a no-failover node elected anyway retries handing over. Default 1000.
 * @param requestHoldMs longest a request reaching a node during a leadership change is held before it
 *     is answered 503 (capped at the request timeout). Default 1000: about one hang failover.
 * @param holdRecheckMs how often a held request looks again without a role change. Default 50.
 * @param handoverDrainMs how long a stopping ACTIVE waits for in-flight commands and its release
 *     message before it leaves. Default 50.
 * @param demotionHookWaitMs longest a stopping ACTIVE waits for its demotion hook before it releases
 *     the followers (capped at the hook timeout). Default 10000.
 * @param watchKeepaliveMs how often an idle leader watch stream gets a keep-alive comment. Default 10000.
 * @param probeConnectTimeoutMs how long a port probe waits for a connection (a paused or cut-off
 *     peer times out, a crashed one refuses at once). Default 50.
 * @param resendIntervalMs jgroups-raft's {@code resend_interval}: how long a leader's request queue
 *     must be idle before it resends missing entries, and how often Baton's catch-up sweep runs.
 *     Default 200.
 * @param catchUpRepeatMs the leader probes one missing index of a lagging follower at most this
 *     often while the answer may still be in flight. Default 50.
 * @param joinRetryMs a node refused at start-up while its previous incarnation is still in the
 *     view (NO_DUPES) tries again after this long. Default 200.
 */
public record Timings(
        long rolePollMs,
        long electionStallMs,
        long leaderSilenceMs,
        long switchoverStepMs,
        long noFailoverRetryMs,
        long requestHoldMs,
        long holdRecheckMs,
        long handoverDrainMs,
        long demotionHookWaitMs,
        long watchKeepaliveMs,
        long probeConnectTimeoutMs,
        long resendIntervalMs,
        long catchUpRepeatMs,
        long joinRetryMs) {

    public static final Timings DEFAULTS = new Timings(20, 3_000, 3_000, 1_000, 1_000, 1_000, 50, 50, 10_000, 10_000, 50, 200, 50, 200);

    public Timings {
        within("rolePollMs", rolePollMs, 1, 1_000);
        within("electionStallMs", electionStallMs, 100, 600_000);
        within("leaderSilenceMs", leaderSilenceMs, 100, 600_000);
        within("switchoverStepMs", switchoverStepMs, 10, 60_000);
        within("noFailoverRetryMs", noFailoverRetryMs, 10, 600_000);
        within("requestHoldMs", requestHoldMs, 0, 60_000);
        within("holdRecheckMs", holdRecheckMs, 1, 10_000);
        within("handoverDrainMs", handoverDrainMs, 0, 10_000);
        within("demotionHookWaitMs", demotionHookWaitMs, 0, 600_000);
        within("watchKeepaliveMs", watchKeepaliveMs, 100, 600_000);
        within("probeConnectTimeoutMs", probeConnectTimeoutMs, 1, 10_000);
        within("resendIntervalMs", resendIntervalMs, 10, 10_000);
        within("catchUpRepeatMs", catchUpRepeatMs, 1, 10_000);
        within("joinRetryMs", joinRetryMs, 10, 10_000);
    }

    private static void within(String name, long value, long min, long max) {
        if (value < min || value > max) {
            throw new ConfigException(name, value + " is outside " + min + "-" + max);
        }
    }

    /** Checks the timings that depend on the lease. */
    void checkAgainst(LeaseTiming lease) {
        if (leaderSilenceMs <= lease.grantMs()) {
            throw new ConfigException("leaderSilenceMs", leaderSilenceMs + " must exceed --lease-grant-ms (" + lease.grantMs()
                    + "): a leader is reported silent only after every lease it could hold is over");
        }
    }
}

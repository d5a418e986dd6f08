package dev.baton.node.metrics;

import dev.baton.node.Consensus;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;

/** The log's progress, the lease and the peers' liveness: all read from the consensus at scrape time. */
final class ReplicationMetrics {

    private ReplicationMetrics() {}

    static void register(Consensus consensus, PrometheusRegistry registry) {
        GaugeWithCallback.builder()
                .name("baton_commit_index")
                .help("highest Raft log index this node knows to be committed")
                .callback(cb -> cb.call(consensus.commitIndex()))
                .register(registry);
        GaugeWithCallback.builder()
                .name("baton_applied_index")
                .help("highest Raft log index applied to this node's state machine")
                .callback(cb -> cb.call(consensus.appliedIndex()))
                .register(registry);
        GaugeWithCallback.builder()
                .name("baton_lease_remaining_seconds")
                .help("time left of the lease this node holds as leader; 0 when it ran out or this node does not lead")
                .unit(Unit.SECONDS)
                .callback(cb -> cb.call(Math.max(0, consensus.leaseRemainingMs()) / 1000.0))
                .register(registry);
        GaugeWithCallback.builder()
                .name("baton_follower_lag_entries")
                .help("on the leader: log entries the follower has not acknowledged yet; no series on other nodes")
                .labelNames("peer")
                .callback(cb -> consensus.followerLagEntries().forEach((peer, lag) -> cb.call(lag, peer)))
                .register(registry);
        CounterWithCallback.builder()
                .name("baton_peer_refusals_total")
                .help("peer connections and messages refused since start (peer TLS), by reason; no series without peer TLS or refusals")
                .labelNames("reason")
                .callback(cb -> {
                    java.util.Map<String, Long> refused = consensus.peerRefusals();
                    if (refused != null) {
                        refused.forEach((reason, n) -> cb.call(n, reason));
                    }
                })
                .register(registry);
        GaugeWithCallback.builder()
                .name("baton_members")
                .help("members in this node's applied member table, by status (voter, joining: a learner catching up)")
                .labelNames("status")
                .callback(cb -> {
                    long voters = consensus.memberTable().stream().filter(m -> m.voter()).count();
                    cb.call(voters, "voter");
                    cb.call(consensus.memberTable().size() - voters, "joining");
                })
                .register(registry);
        GaugeWithCallback.builder()
                .name("baton_peer_heartbeat_age_seconds")
                .help("time since this node last heard the peer's health beacon (sent about once a second)")
                .unit(Unit.SECONDS)
                .labelNames("peer")
                .callback(cb -> consensus.peerHeartbeatAgeMs().forEach((peer, ms) -> cb.call(ms / 1000.0, peer)))
                .register(registry);
    }
}

package dev.baton.client.wire;

import java.util.List;
import java.util.Map;

/**
 * Answer of {@code GET /v1/status}: one node's own view of the cluster.
 *
 * @param role ACTIVE, STANDBY, CANDIDATE, FENCED, PENDING_APPROVAL or UNHEALTHY
 * @param leader the active node this node knows of, or null
 * @param commitIndex highest Raft log index this node knows to be committed
 * @param appliedIndex highest log index applied to this node's state machine
 * @param leaderCommitIndex the highest commit index this node knows of (on a follower: the
 *     leader's, as last heard; above {@code appliedIndex} while this node lags)
 * @param health whether this node's storage works
 * @param revision the state machine's global revision (count of applied mutations)
 * @param failover "auto" or "manual" (this node's setting)
 * @param mode "active-passive" or "active-active" (this node's setting)
 * @param maintenance cluster-wide maintenance mode as replicated to this node
 * @param lastHook the last hook this node ran, or null
 * @param problem why the cluster cannot commit as far as this node knows (no majority of the
 *     members reachable and able to persist), or null
 * @param leaseRemainingMs ms left of the lease this node holds as leader (0: ran out), null if it
 *     does not lead
 * @param peerRefusals peer connections and messages this node refused since it started, by reason
 *     (e.g. {@code untrusted_certificate}, {@code impersonation}); null when peer TLS is off
 * @param clusterId the cluster this node's data belongs to: {@code "default"} unless the data was
 *     restored from a backup or the node was started with {@code --force-new-cluster}; null from
 *     nodes that predate it
 */
public record NodeStatus(
        String id,
        String url,
        String role,
        long term,
        LeaderInfo leader,
        long commitIndex,
        long appliedIndex,
        long leaderCommitIndex,
        HealthInfo health,
        long revision,
        List<MemberInfo> members,
        String failover,
        String mode,
        MaintenanceInfo maintenance,
        HookInfo lastHook,
        String problem,
        Long leaseRemainingMs,
        Map<String, Long> peerRefusals,
        String clusterId) {

    /** Without the cluster id (as before it was reported). */
    public NodeStatus(String id, String url, String role, long term, LeaderInfo leader, long commitIndex, long appliedIndex,
            long leaderCommitIndex, HealthInfo health, long revision, List<MemberInfo> members, String failover, String mode,
            MaintenanceInfo maintenance, HookInfo lastHook, String problem, Long leaseRemainingMs,
            Map<String, Long> peerRefusals) {
        this(id, url, role, term, leader, commitIndex, appliedIndex, leaderCommitIndex, health, revision, members, failover,
                mode, maintenance, lastHook, problem, leaseRemainingMs, peerRefusals, null);
    }

    /** Without the lease (as before it was reported). */
    public NodeStatus(String id, String url, String role, long term, LeaderInfo leader, long commitIndex, long appliedIndex,
            long leaderCommitIndex, HealthInfo health, long revision, List<MemberInfo> members, String failover, String mode,
            MaintenanceInfo maintenance, HookInfo lastHook, String problem) {
        this(id, url, role, term, leader, commitIndex, appliedIndex, leaderCommitIndex, health, revision, members, failover,
                mode, maintenance, lastHook, problem, null, null, null);
    }
}

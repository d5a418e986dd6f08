package dev.baton.node.http;

import dev.baton.client.wire.HealthInfo;
import dev.baton.client.wire.HookInfo;
import dev.baton.client.wire.LeaderInfo;
import dev.baton.client.wire.MaintenanceInfo;
import dev.baton.client.wire.MemberInfo;
import dev.baton.client.wire.NodeStatus;
import dev.baton.node.Consensus;
import dev.baton.node.config.MemberSpec;
import dev.baton.node.config.NodeConfig;
import dev.baton.node.health.PersistQuorum;
import dev.baton.node.health.StorageFault;
import dev.baton.node.role.RoleView;
import dev.baton.node.role.RoleState;
import dev.baton.node.hooks.HookResult;
import dev.baton.node.membership.MemberChanges;
import dev.baton.node.statemachine.ClusterControl;
import dev.baton.node.statemachine.ClusterMember;
import java.util.HashMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/** Turns the node's config and consensus state into the wire records of the API. */
final class NodeView {
    final NodeConfig config;
    final Consensus consensus;
    final Supplier<HookResult> lastHook;

    NodeView(NodeConfig config, Consensus consensus, Supplier<HookResult> lastHook) {
        this.config = config;
        this.consensus = consensus;
        this.lastHook = lastHook;
    }

    /**
     * The active leader as this node knows it, with its URL and term; null if none is known (see
     * {@link RoleView#activeId}: never itself unless ACTIVE, never a leader gone silent).
     */
    LeaderInfo leader(RoleView v) {
        String id = v.activeId(config.nodeId());
        if (id == null) {
            return null;
        }
        MemberSpec m = member(id);
        return new LeaderInfo(id, m == null ? null : config.httpUrl(m), v.term());
    }

    /** Member {@code id} as of the applied member table (the configured one before the first change), or null. */
    MemberSpec member(String id) {
        for (ClusterMember m : consensus.memberTable()) {
            if (m.id().equals(id)) {
                return MemberChanges.spec(m);
            }
        }
        return config.member(id);
    }

    /** Where to send a request that this node cannot serve: the live leader if it is another node with a URL, else null. */
    LeaderInfo redirectTarget(RoleView v) {
        LeaderInfo l = leader(v);
        return l == null || l.id().equals(config.nodeId()) || l.url() == null ? null : l;
    }

    NodeStatus status() {
        RoleView v = consensus.view();
        RoleState r = v.state();
        List<MemberInfo> members = new ArrayList<>();
        List<PersistQuorum.Member> quorum = new ArrayList<>();
        Map<String, Long> lag = consensus.followerLagEntries();
        Map<String, Long> heard = consensus.peerHeartbeatAgeMs();
        Map<String, ClusterMember> table = new HashMap<>();
        consensus.memberTable().forEach(m -> table.put(m.id(), m));
        for (Consensus.MemberState s : consensus.members()) {
            MemberSpec m = member(s.id());
            if (m == null) {
                continue; // removed between the two reads
            }
            ClusterMember row = table.get(s.id());
            String status = row == null || row.voter() ? MemberInfo.VOTER : MemberInfo.JOINING;
            members.add(new MemberInfo(s.id(), config.httpUrl(m), m.raftAddress(), s.connected(), s.fault(), lag.get(s.id()),
                    heard.get(s.id()), status));
            quorum.add(new PersistQuorum.Member(s.id(), s.connected(), s.fault()));
        }
        ClusterControl control = consensus.control();
        HookResult hook = lastHook.get();
        long lease = consensus.leaseRemainingMs();
        return new NodeStatus(config.nodeId(), config.httpUrl(config.self()), r.role().name(), r.term(), leader(v),
                consensus.commitIndex(), consensus.appliedIndex(), consensus.leaderCommitIndex(), health(v.fault()),
                consensus.revision(), members,
                config.ops().failover().name().toLowerCase(Locale.ROOT),
                config.ops().mode().name().toLowerCase(Locale.ROOT).replace('_', '-'),
                new MaintenanceInfo(control.maintenanceAt(System.currentTimeMillis()), control.maintenanceUntilEpochMs()),
                hook == null ? null : new HookInfo(hook.event(), hook.term(), hook.command(), hook.exitCode(),
                        hook.durationMs(), hook.error(), hook.finishedAtEpochMs()),
                PersistQuorum.problem(quorum), lease < 0 ? null : lease, consensus.peerRefusals(), consensus.clusterId());
    }

    static HealthInfo health(StorageFault fault) {
        return fault == null ? new HealthInfo(HealthInfo.OK, null, 0)
                : new HealthInfo(HealthInfo.UNHEALTHY, fault.reason(), fault.sinceEpochMs());
    }
}

package dev.baton.node.http;

import dev.baton.client.wire.HookInfo;
import dev.baton.client.wire.LeaderInfo;
import dev.baton.client.wire.MaintenanceInfo;
import dev.baton.client.wire.MemberInfo;
import dev.baton.client.wire.NodeStatus;
import dev.baton.node.Consensus;
import dev.baton.node.config.MemberSpec;
import dev.baton.node.config.NodeConfig;
import dev.baton.node.role.Role;
import dev.baton.node.role.RoleState;
import dev.baton.node.hooks.HookResult;
import dev.baton.node.statemachine.ClusterControl;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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
     * The active leader as this node knows it, with its URL and term; null if none is known. A node
     * never names itself unless it is ACTIVE (a fenced or not yet ready leader is not the active).
     */
    LeaderInfo leader(RoleState r) {
        if (r.leaderId() == null || (r.leaderId().equals(config.nodeId()) && r.role() != Role.ACTIVE)) {
            return null;
        }
        if (!r.leaderId().equals(config.nodeId()) && consensus.leaderContactAgeMs() > config.lease().grantMs()) {
            // silent for longer than any lease it could hold: it cannot be ACTIVE any more, so do not
            // send clients to it (a hung or cut-off leader; the election follows shortly)
            return null;
        }
        MemberSpec m = config.member(r.leaderId());
        return new LeaderInfo(r.leaderId(), m == null ? null : m.httpUrl(), r.term());
    }

    NodeStatus status() {
        RoleState r = consensus.role();
        List<MemberInfo> members = new ArrayList<>();
        for (Consensus.MemberState s : consensus.members()) {
            MemberSpec m = config.member(s.id());
            members.add(new MemberInfo(s.id(), m.httpUrl(), m.raftAddress(), s.connected()));
        }
        ClusterControl control = consensus.control();
        HookResult hook = lastHook.get();
        return new NodeStatus(config.nodeId(), config.self().httpUrl(), r.role().name(), r.term(), leader(r),
                consensus.commitIndex(), consensus.appliedIndex(), consensus.revision(), members,
                config.ops().failover().name().toLowerCase(Locale.ROOT),
                config.ops().mode().name().toLowerCase(Locale.ROOT).replace('_', '-'),
                new MaintenanceInfo(control.maintenanceAt(System.currentTimeMillis()), control.maintenanceUntilEpochMs()),
                hook == null ? null : new HookInfo(hook.event(), hook.term(), hook.command(), hook.exitCode(),
                        hook.durationMs(), hook.error(), hook.finishedAtEpochMs()));
    }
}

package dev.baton.node.metrics;

import dev.baton.node.Consensus;
import dev.baton.node.role.Role;
import dev.baton.node.role.RoleView;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * Leadership as this node sees it: the role, term and leader are read from the one role view
 * ({@link Consensus#view()}) at scrape time; leader changes and fencings are counted as the role
 * thread publishes them.
 *
 * <p>Threading: {@link #onView} runs on the role thread; it and the constructor's seeding share
 * {@code lastLeader} and {@code lastTerm} under this object's lock (the node is already running
 * when its metrics are made). The counters are thread-safe.
 */
final class RoleMetrics {

    private final Counter leaderChanges;
    private final Counter fenced;
    private String lastLeader;
    private long lastTerm = -1;

    RoleMetrics(String nodeId, Consensus consensus, PrometheusRegistry registry) {
        GaugeWithCallback.builder()
                .name("baton_is_active")
                .help("1 if this node is the ACTIVE (Raft leader holding its lease), else 0")
                .callback(cb -> cb.call(consensus.view().role() == Role.ACTIVE ? 1 : 0))
                .register(registry);
        GaugeWithCallback.builder()
                .name("baton_role")
                .help("this node's role: 1 for the current one, 0 for every other")
                .labelNames("role")
                .callback(cb -> RoleSeries.oneHot(consensus.view().role()).forEach((r, v) -> cb.call(v, RoleSeries.label(r))))
                .register(registry);
        GaugeWithCallback.builder()
                .name("baton_has_leader")
                .help("1 if this node knows a live ACTIVE (itself or the leader it hears from), else 0")
                .callback(cb -> cb.call(consensus.view().activeId(nodeId) == null ? 0 : 1))
                .register(registry);
        GaugeWithCallback.builder()
                .name("baton_term")
                .help("the Raft term this node is in (the fencing token of the ACTIVE)")
                .callback(cb -> cb.call(consensus.view().term()))
                .register(registry);
        leaderChanges = Counter.builder()
                .name("baton_leader_changes_total")
                .help("leader changes this node has seen since it started (a new leader, or a new term of the same one)")
                .register(registry);
        fenced = Counter.builder()
                .name("baton_fenced_total")
                .help("times this node became FENCED (it led and its lease ran out) since it started")
                .register(registry);
        consensus.addRoleListener((from, to) -> {
            if (RoleSeries.fenced(from.role(), to.role())) {
                fenced.inc();
            }
        });
        consensus.addViewListener(this::onView);
        // the leader known before the metrics existed counts as seen (else a node that never sees
        // a failover would say 0 leaders ever); the listener above sees every later view
        onView(consensus.view());
    }

    private synchronized void onView(RoleView v) {
        if (RoleSeries.leaderChanged(lastLeader, lastTerm, v)) {
            leaderChanges.inc();
        }
        if (v.leaderId() != null) {
            lastLeader = v.leaderId();
            lastTerm = v.term();
        }
    }
}

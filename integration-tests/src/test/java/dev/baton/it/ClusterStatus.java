package dev.baton.it;

import dev.baton.client.wire.NodeStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * What a cluster's nodes report about themselves right now ({@code GET /v1/status}), asked once,
 * never waited for: {@link ClusterWaits} builds its waits on these snapshots. A node that is down or
 * hung answers empty within {@link #POLL_TIMEOUT}. Thread-safe.
 */
final class ClusterStatus {

    /** How long one poll waits for a node's answer: a hung node must not stall a wait loop. */
    static final Duration POLL_TIMEOUT = Duration.ofSeconds(1);

    private final List<NodeProcess> nodes;
    private final Http http;

    ClusterStatus(List<NodeProcess> nodes, Http http) {
        this.nodes = List.copyOf(nodes);
        this.http = http;
    }

    /** This node's {@code /v1/status}; fails if it does not answer 200. */
    NodeStatus of(NodeProcess node) {
        Http.Response r = http.get(node.url() + "/v1/status");
        if (r.status() != 200) {
            throw new AssertionError("status of " + node.id() + ": " + r);
        }
        return r.json(NodeStatus.class);
    }

    /** {@code /v1/status} of a running node process, empty if it is down, hung or answers anything but 200. */
    Optional<NodeStatus> tryOf(NodeProcess node) {
        return node.isAlive() ? at(node).join() : Optional.empty();
    }

    /**
     * Asks whatever serves at the node's address, whether or not the harness started a process there
     * (an embedded node takes a slot's address).
     */
    CompletableFuture<Optional<NodeStatus>> at(NodeProcess node) {
        return http.getAsync(node.url() + "/v1/status", POLL_TIMEOUT)
                .thenApply(r -> r.status() == 200 ? Optional.of(r.json(NodeStatus.class)) : Optional.<NodeStatus>empty())
                .exceptionally(e -> Optional.empty());
    }

    /** Every node's status, asked in parallel (a node that is not running answers empty at once). */
    Map<NodeProcess, Optional<NodeStatus>> now() {
        Map<NodeProcess, CompletableFuture<Optional<NodeStatus>>> futures = new LinkedHashMap<>();
        for (NodeProcess n : nodes) {
            futures.put(n, n.isAlive() ? at(n) : CompletableFuture.completedFuture(Optional.empty()));
        }
        Map<NodeProcess, Optional<NodeStatus>> result = new LinkedHashMap<>();
        futures.forEach((n, f) -> result.put(n, f.join()));
        return result;
    }

    /** The nodes that report ACTIVE in {@code snapshot}. Two of them in the same term is split brain: fails at once. */
    static List<TestCluster.Active> actives(Map<NodeProcess, Optional<NodeStatus>> snapshot) {
        List<TestCluster.Active> actives = new ArrayList<>();
        snapshot.forEach((n, s) -> s.filter(st -> "ACTIVE".equals(st.role()))
                .ifPresent(st -> actives.add(new TestCluster.Active(n, st.term()))));
        for (int i = 0; i < actives.size(); i++) {
            for (int j = i + 1; j < actives.size(); j++) {
                if (actives.get(i).term() == actives.get(j).term()) {
                    throw new AssertionError("two ACTIVE nodes in term " + actives.get(i).term() + ": "
                            + actives.get(i).id() + " and " + actives.get(j).id());
                }
            }
        }
        return actives;
    }

    /** The one node reporting ACTIVE with a term above {@code termAbove} right now, if exactly one does. */
    Optional<TestCluster.Active> activeNow(long termAbove) {
        List<TestCluster.Active> above = actives(now()).stream().filter(a -> a.term() > termAbove).toList();
        return above.size() == 1 ? Optional.of(above.get(0)) : Optional.empty();
    }

    /** One line per node, e.g. {@code n1=STANDBY/t3/leader n2/applied 17}, for wait timeouts. */
    static String describe(Map<NodeProcess, Optional<NodeStatus>> snapshot) {
        List<String> parts = new ArrayList<>();
        snapshot.forEach((n, s) -> parts.add(n.id() + "=" + s.map(x -> x.role() + "/t" + x.term() + "/leader "
                        + (x.leader() == null ? "-" : x.leader().id()) + "/applied " + x.appliedIndex())
                .orElse("no answer")));
        return String.join(", ", parts);
    }
}

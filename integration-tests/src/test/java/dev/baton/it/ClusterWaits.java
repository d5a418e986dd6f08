package dev.baton.it;

import static org.awaitility.Awaitility.await;

import dev.baton.client.wire.NodeStatus;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.core.ConditionTimeoutException;

/**
 * The waits for a role of the test harness, the one place that polls a cluster until a node is
 * ACTIVE (or in another role), until the cluster is settled, or until a standby caught up. Used by
 * the integration tests and the benchmarks alike, through {@link TestCluster}. Every wait has a
 * generous bound and fails with what it saw last; none asserts how fast anything happened.
 */
final class ClusterWaits {

    /** A node seen in a role, with the status it reported. */
    record RoleSeen(NodeProcess node, NodeStatus status) {}

    private final String name;
    private final ClusterStatus status;

    ClusterWaits(String name, ClusterStatus status) {
        this.name = name;
        this.status = status;
    }

    /** Until exactly one node reports ACTIVE with a term above {@code termAbove}; split brain fails at once. */
    TestCluster.Active awaitActive(long termAbove, Duration pollInterval) {
        return awaitFound("exactly one ACTIVE node with term > " + termAbove + " in " + name, TestCluster.WAIT,
                pollInterval, () -> status.activeNow(termAbove));
    }

    /** Until some node reports {@code role} with a term above {@code termAbove}. */
    RoleSeen awaitRole(String role, long termAbove) {
        return awaitFound("a node in role " + role + " with term > " + termAbove + " in " + name, TestCluster.WAIT,
                Duration.ofMillis(100), () -> status.now().entrySet().stream()
                        .filter(e -> e.getValue().filter(st -> role.equals(st.role()) && st.term() > termAbove).isPresent())
                        .map(e -> new RoleSeen(e.getKey(), e.getValue().orElseThrow()))
                        .findFirst());
    }

    /**
     * Until the cluster is settled and has stayed so for {@code stableFor} (zero: once seen):
     * exactly one ACTIVE, and every other running node a STANDBY of the same term that follows it
     * and has applied everything the ACTIVE had committed when this wait first saw it ACTIVE.
     * Leadership may still move while this waits (e.g. an election after a partition heals): a new
     * ACTIVE, or a term change, starts the check afresh.
     */
    TestCluster.Active awaitSettled(Duration stableFor, Duration atMost) {
        SettledCheck check = new SettledCheck(stableFor);
        return awaitFound("settled cluster " + name + " (one ACTIVE, every other node a caught-up STANDBY following it"
                + (stableFor.isZero() ? "" : ", for " + stableFor.toMillis() + " ms") + ")", atMost,
                Duration.ofMillis(100), check::poll, check::lastSeen);
    }

    /**
     * Until {@code node} is STANDBY, names {@code active} as leader and has applied at least
     * everything the active had committed when this call started. Asks the node's address, so it
     * also works for an embedded node in a slot the harness never started; fails at once if the
     * node's process exits.
     */
    NodeStatus awaitCaughtUpStandby(NodeProcess node, TestCluster.Active active) {
        long target = status.of(active.node()).commitIndex();
        AtomicReference<NodeStatus> last = new AtomicReference<>();
        await(node.id() + " STANDBY following " + active.id() + " with appliedIndex >= " + target)
                .atMost(TestCluster.WAIT)
                .pollInterval(Duration.ofMillis(200))
                .failFast("node " + node.id() + " exited", () -> node.exitCode() != null)
                .until(() -> {
                    Optional<NodeStatus> s = status.at(node).join();
                    s.ifPresent(last::set);
                    return s.filter(st -> "STANDBY".equals(st.role())
                                    && st.leader() != null
                                    && active.id().equals(st.leader().id())
                                    && st.appliedIndex() >= target)
                            .isPresent();
                });
        return last.get();
    }

    private static <T> T awaitFound(String what, Duration atMost, Duration pollInterval, Callable<Optional<T>> probe) {
        return awaitFound(what, atMost, pollInterval, probe, () -> "");
    }

    private static <T> T awaitFound(String what, Duration atMost, Duration pollInterval, Callable<Optional<T>> probe,
            java.util.function.Supplier<String> lastSeen) {
        AtomicReference<T> found = new AtomicReference<>();
        try {
            await(what)
                    .atMost(atMost)
                    .pollDelay(Duration.ZERO)
                    .pollInterval(pollInterval)
                    .until(() -> {
                        Optional<T> t = probe.call();
                        t.ifPresent(found::set);
                        return t.isPresent();
                    });
        } catch (ConditionTimeoutException e) {
            String seen = lastSeen.get();
            throw seen.isEmpty() ? e : new ConditionTimeoutException(e.getMessage() + "; last seen: " + seen, e);
        }
        return found.get();
    }

    /** One settle wait's memory: which ACTIVE it is checking, its target index, since when it holds. */
    private final class SettledCheck {
        private final Duration stableFor;
        private TestCluster.Active candidate;
        private long target;
        private long heldSince = -1;
        private volatile String lastSeen = "no answer yet";

        SettledCheck(Duration stableFor) {
            this.stableFor = stableFor;
        }

        Optional<TestCluster.Active> poll() {
            Map<NodeProcess, Optional<NodeStatus>> now = status.now();
            lastSeen = ClusterStatus.describe(now);
            var actives = ClusterStatus.actives(now);
            if (actives.size() != 1) {
                candidate = null;
                heldSince = -1;
                return Optional.empty();
            }
            TestCluster.Active a = actives.get(0);
            if (!a.equals(candidate)) {
                candidate = a;
                target = now.get(a.node()).orElseThrow().commitIndex();
                heldSince = -1;
            }
            boolean followersOk = now.entrySet().stream()
                    .filter(e -> e.getKey() != a.node() && e.getKey().isAlive())
                    .allMatch(e -> e.getValue().filter(st -> "STANDBY".equals(st.role()) && st.term() == a.term()
                                    && st.leader() != null && a.id().equals(st.leader().id())
                                    && st.appliedIndex() >= target)
                            .isPresent());
            if (!followersOk) {
                heldSince = -1;
                return Optional.empty();
            }
            if (heldSince < 0) {
                heldSince = System.nanoTime();
            }
            return System.nanoTime() - heldSince >= stableFor.toNanos() ? Optional.of(a) : Optional.empty();
        }

        String lastSeen() {
            return lastSeen;
        }
    }
}

package dev.baton.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.baton.client.BatonClient;
import dev.baton.client.wire.KvEntry;
import dev.baton.client.wire.NodeStatus;
import dev.baton.client.wire.WriteResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Network partitions with iptables (root only; skipped with a message otherwise): a leader cut off
 * in a minority fences itself no later than the majority elects; the majority elects one ACTIVE with
 * a higher term and keeps serving writes; after the heal there is exactly one ACTIVE, the old leader
 * is a STANDBY again, no acknowledged write is lost, and the node logs never show two ACTIVE nodes
 * at once. Rules are removed in {@code finally} (and by a shutdown hook).
 */
@ExtendWith(NodeLogsOnFailure.class)
class PartitionIT {

    /** How long the majority must keep its ACTIVE while cut off: a few MERGE3 rounds (1-3 s). */
    private static final Duration HOLD = Duration.ofSeconds(4);

    @BeforeAll
    static void needsIptables() {
        String reason = NetworkPartition.unavailableReason();
        if (reason != null) {
            System.out.println("[it] PartitionIT SKIPPED: " + reason);
        }
        Assumptions.assumeTrue(reason == null, () -> "PartitionIT skipped: " + reason);
    }

    @Test
    void isolatedActiveFencesAndTheMajorityTakesOver() {
        try (TestCluster cluster = TestCluster.start("PartitionIT-3", 3);
                BatonClient client = client(cluster)) {
            runScenario(cluster, client, 1, "p3");
        }
    }

    @Test
    // 5-node variant of the 3-node tests above, on demand: with the membership and backup tests the
    // default suite passed 20 minutes on a 2-core machine (20:57); scripts/chaos.sh short runs it
    @org.junit.jupiter.api.condition.EnabledIfSystemProperty(named = "chaos.full", matches = "true",
            disabledReason = "5-node variant, on demand: scripts/chaos.sh short (or -Dchaos.full=true)")
    void fiveNodeSplitKeepsTheMajoritySideServing() {
        try (TestCluster cluster = TestCluster.start("PartitionIT-5", 5);
                BatonClient client = client(cluster)) {
            runScenario(cluster, client, 2, "p5");
        }
    }

    /** Cuts the ACTIVE plus {@code minorityExtra - 1} standbys off from the rest; checks; heals. */
    private static void runScenario(TestCluster cluster, BatonClient client, int minoritySize, String prefix) {
        Map<String, String> acked = new LinkedHashMap<>();
        writeSome(client, acked, prefix + "/before/", 20);

        TestCluster.Active old = cluster.awaitSettled();
        List<NodeProcess> minority = new ArrayList<>();
        minority.add(old.node());
        cluster.others(old.node()).stream().limit(minoritySize - 1L).forEach(minority::add);
        List<NodeProcess> majority = cluster.nodes().stream().filter(n -> !minority.contains(n)).toList();
        Http http = cluster.http();

        long cutAt = System.nanoTime();
        TestCluster.Active successor;
        NetworkPartition partition = NetworkPartition.isolate(minority, majority);
        try {
            // The old leader must report FENCED (never ACTIVE next to the successor) ...
            await(old.id() + " FENCED after being cut off")
                    .atMost(TestCluster.WAIT)
                    .pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(20))
                    .until(() -> {
                        Http.Response r = http.get(old.url() + "/health/active");
                        Optional<NodeStatus> s = cluster.tryStatus(old.node());
                        return r.status() == 503 && s.filter(st -> !"ACTIVE".equals(st.role())).isPresent();
                    });
            long fencedSeenMs = (System.nanoTime() - cutAt) / 1_000_000;
            // ... and the majority elects one ACTIVE with a higher term.
            successor = awaitActiveAmong(cluster, majority, old.term());
            System.out.printf("[it] %s: %s fenced (seen after %d ms); %s ACTIVE at term %d after %d ms%n",
                    cluster.name(), old.id(), fencedSeenMs, successor.id(), successor.term(),
                    (System.nanoTime() - cutAt) / 1_000_000);
            assertThat(cluster.statusOf(old.node()).role()).as("role of the cut-off old leader").isNotEqualTo("ACTIVE");

            // The majority keeps its ACTIVE and serves writes for a while; the minority never acts.
            long until = System.nanoTime() + HOLD.toNanos();
            int i = 0;
            while (System.nanoTime() < until) {
                WriteResult w = put(client, acked, prefix + "/during/" + i++);
                assertThat(w.term()).as("term of a write acknowledged during the partition").isEqualTo(successor.term());
                for (NodeProcess n : minority) {
                    Http.Response r = http.get(n.url() + "/health/active");
                    assertThat(r.status()).as("%s /health/active during the partition: %s", n.id(), r).isEqualTo(503);
                }
                Optional<TestCluster.Active> now = activeAmong(cluster, majority, old.term());
                assertThat(now).as("the majority's ACTIVE during the partition (write %d)", i)
                        .hasValueSatisfying(a -> assertThat(a.id()).isEqualTo(successor.id()));
            }
            System.out.printf("[it] %s: %d writes acknowledged during the partition%n", cluster.name(), i);
        } finally {
            partition.heal();
        }

        // After the heal: one ACTIVE (a re-election is allowed but not needed), old leader a STANDBY.
        TestCluster.Active after = cluster.awaitSettled();
        assertThat(after.term()).isGreaterThanOrEqualTo(successor.term());
        assertThat(cluster.statusOf(old.node()).role())
                .as("old leader %s after the heal", old.id())
                .isIn("STANDBY", "ACTIVE");
        if (!after.id().equals(old.id())) {
            assertThat(cluster.statusOf(old.node()).role()).isEqualTo("STANDBY");
        }
        long actives = cluster.statusesNow().values().stream()
                .flatMap(Optional::stream)
                .filter(s -> "ACTIVE".equals(s.role()))
                .count();
        assertThat(actives).as("ACTIVE nodes after the heal").isEqualTo(1);
        writeSome(client, acked, prefix + "/after/", 20);

        for (Map.Entry<String, String> e : acked.entrySet()) {
            assertThat(client.get(e.getKey()).map(KvEntry::value))
                    .as("acknowledged write %s", e.getKey())
                    .contains(e.getValue());
        }
        assertFencedBeforeTheSuccessorFromTheRoleLogs(cluster, old, successor, cutAt);
    }

    private static BatonClient client(TestCluster cluster) {
        return BatonClient.builder()
                .seeds(cluster.nodes().stream().map(NodeProcess::url).collect(Collectors.joining(",")))
                .requestTimeout(Duration.ofMillis(500))
                .deadline(Duration.ofSeconds(30))
                .build();
    }

    private static void writeSome(BatonClient client, Map<String, String> acked, String prefix, int n) {
        for (int i = 0; i < n; i++) {
            put(client, acked, prefix + i);
        }
    }

    private static WriteResult put(BatonClient client, Map<String, String> acked, String key) {
        String value = "v-" + key;
        WriteResult w = client.put(key, value);
        acked.put(key, value);
        return w;
    }

    private static TestCluster.Active awaitActiveAmong(TestCluster cluster, List<NodeProcess> side, long termAbove) {
        TestCluster.Active[] found = new TestCluster.Active[1];
        await("one ACTIVE with term > " + termAbove + " among " + side)
                .atMost(TestCluster.WAIT)
                .pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(20))
                .until(() -> {
                    Optional<TestCluster.Active> a = activeAmong(cluster, side, termAbove);
                    a.ifPresent(x -> found[0] = x);
                    return a.isPresent();
                });
        return found[0];
    }

    private static Optional<TestCluster.Active> activeAmong(TestCluster cluster, List<NodeProcess> side, long termAbove) {
        List<TestCluster.Active> actives = new ArrayList<>();
        cluster.statusesNow().forEach((n, s) -> s.filter(st -> side.contains(n) && "ACTIVE".equals(st.role()))
                .ifPresent(st -> actives.add(new TestCluster.Active(n, st.term()))));
        assertThat(actives.size()).as("ACTIVE nodes on one side: %s", actives).isLessThanOrEqualTo(1);
        return actives.stream().filter(a -> a.term() > termAbove).findFirst();
    }

    /**
     * From the role logs (no process died here): the cut-off leader's ACTIVE interval of its term
     * ended after the cut and no later than the successor's began, and no two ACTIVE intervals
     * overlap at all.
     */
    private static void assertFencedBeforeTheSuccessorFromTheRoleLogs(
            TestCluster cluster, TestCluster.Active old, TestCluster.Active successor, long cutAt) {
        Map<String, String> logs = new HashMap<>();
        cluster.nodes().forEach(n -> logs.put(n.id(), n.log()));
        List<RoleLog.Interval> intervals = RoleLog.activeIntervals(logs, Map.of(), System.nanoTime());
        RoleLog.Interval fenced = intervals.stream()
                .filter(iv -> iv.node().equals(old.id()) && iv.term() == old.term() && iv.start() < cutAt)
                .reduce((a, b) -> b)
                .orElseThrow(() -> new AssertionError("no ACTIVE interval of " + old.id() + " in term " + old.term()
                        + " before the cut in " + intervals));
        RoleLog.Interval next = intervals.stream()
                .filter(iv -> iv.node().equals(successor.id()) && iv.term() == successor.term())
                .findFirst()
                .orElseThrow(() -> new AssertionError("no ACTIVE interval of " + successor.id() + " in term "
                        + successor.term() + " in " + intervals));
        System.out.printf("[it] %s: %s ACTIVE ended %.1f ms after the cut (%s); %s ACTIVE %.1f ms later%n",
                cluster.name(), old.id(), (fenced.end() - cutAt) / 1e6, fenced.endedBy(), successor.id(),
                (next.start() - fenced.end()) / 1e6);
        assertThat(fenced.end()).as("end of %s's ACTIVE (%s) vs start of %s's (%s)", old.id(), fenced, successor.id(), next)
                .isGreaterThan(cutAt)
                .isLessThanOrEqualTo(next.start());
        assertThat(RoleLog.overlaps(intervals)).as("overlapping ACTIVE intervals in the node logs").isEmpty();
    }
}

package dev.baton.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.client.BatonClient;
import dev.baton.client.InvalidRequestException;
import dev.baton.client.RevisionMismatchException;
import dev.baton.client.ValueTooLargeException;
import dev.baton.client.wire.KvEntry;
import dev.baton.client.wire.LeaderInfo;
import dev.baton.client.wire.WriteResult;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link BatonClient} against a real 3-node cluster: it finds the active from any seed, maps the
 * API's errors onto its typed exceptions, and keeps working across a crash failover (last test).
 */
@ExtendWith(NodeLogsOnFailure.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClientIT {

    private static final int MAX_VALUE_BYTES = 1024;
    private static TestCluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = TestCluster.start("ClientIT", 3, "--max-value-bytes", Integer.toString(MAX_VALUE_BYTES));
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static BatonClient clientOf(List<NodeProcess> seeds) {
        return TestClients.builder(seeds).build();
    }

    @Test
    @Order(1)
    void findsTheActiveFromAStandbySeedAlone() {
        TestCluster.Active active = cluster.awaitActive();
        NodeProcess standby = cluster.others(active.node()).get(0);
        try (BatonClient client = clientOf(List.of(standby))) {
            assertThat(client.leader()).isEqualTo(new LeaderInfo(active.id(), active.url(), active.term()));

            WriteResult w = client.put("client/a", "alpha");
            assertThat(w.term()).isEqualTo(active.term());
            assertThat(client.get("client/a")).hasValue(new KvEntry("client/a", "alpha", w.revision()));
            assertThat(client.get("client/missing")).isEmpty();
        }
    }

    @Test
    @Order(2)
    void putGetListCompareAndSetDelete() {
        try (BatonClient client = clientOf(cluster.nodes())) {
            WriteResult b = client.put("client/list/b", "2");
            client.put("client/list/a", "1".getBytes(StandardCharsets.UTF_8));
            assertThat(client.list("client/list/")).extracting(KvEntry::key).containsExactly("client/list/a", "client/list/b");

            WriteResult cas = client.compareAndSet("client/list/b", b.revision(), "2b".getBytes(StandardCharsets.UTF_8));
            assertThat(cas.previousRevision()).isEqualTo(b.revision());
            assertThatThrownBy(() -> client.compareAndSet("client/list/b", b.revision(), "stale".getBytes(StandardCharsets.UTF_8)))
                    .isInstanceOfSatisfying(RevisionMismatchException.class,
                            e -> assertThat(e.currentRevision()).isEqualTo(cas.revision()));
            assertThatThrownBy(() -> client.compareAndSet("client/new", 7, "x".getBytes(StandardCharsets.UTF_8)))
                    .isInstanceOfSatisfying(RevisionMismatchException.class,
                            e -> assertThat(e.currentRevision()).isZero());
            assertThat(client.get("client/list/b").orElseThrow().value()).isEqualTo("2b");

            assertThat(client.delete("client/list/b").existed()).isTrue();
            assertThat(client.delete("client/list/b").existed()).isFalse();
            assertThat(client.get("client/list/b")).isEmpty();
        }
    }

    @Test
    @Order(3)
    void invalidRequestsFailWithTypedErrorsAndChangeNothing() {
        try (BatonClient client = clientOf(cluster.nodes())) {
            assertThatThrownBy(() -> client.put("", "v"))
                    .isInstanceOfSatisfying(InvalidRequestException.class,
                            e -> assertThat(e.errorCode()).isEqualTo("invalid_key"));
            assertThatThrownBy(() -> client.put("k".repeat(513), "v"))
                    .isInstanceOfSatisfying(InvalidRequestException.class,
                            e -> assertThat(e.errorCode()).isEqualTo("invalid_key"));
            assertThatThrownBy(() -> client.put("client/too-large", new byte[MAX_VALUE_BYTES + 1]))
                    .isInstanceOf(ValueTooLargeException.class);
            assertThat(client.get("client/too-large")).isEmpty();
        }
    }

    @Test
    @Order(4)
    void keepsWorkingAcrossACrashFailover() {
        TestCluster.Active first = cluster.awaitActive();
        try (BatonClient client = clientOf(cluster.nodes())) {
            WriteResult before = client.put("client/failover", "before");
            assertThat(before.term()).isEqualTo(first.term());

            first.node().kill9();
            long killedAt = System.nanoTime();
            // The client itself finds the new active (retrying within its 30 s deadline).
            WriteResult after = client.put("client/failover", "after");
            System.out.printf("[it] ClientIT: put after kill -9 of %s completed in %d ms at term %d%n",
                    first.id(), (System.nanoTime() - killedAt) / 1_000_000, after.term());
            assertThat(after.term()).isGreaterThan(first.term());
            assertThat(after.previousRevision()).isEqualTo(before.revision());
            assertThat(client.get("client/failover").orElseThrow().value()).isEqualTo("after");
            assertThat(client.leader().id()).isNotEqualTo(first.id());
        }
    }
}

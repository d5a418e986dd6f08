package dev.baton.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.client.wire.KvEntry;
import dev.baton.client.wire.NodeStatus;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.ExtendWith;

/** Restarts with the same data directories keep every acknowledged write; restarted nodes rejoin. */
@ExtendWith(NodeLogsOnFailure.class)
class RestartIT {

    private TestCluster cluster;

    @BeforeEach
    void startCluster(TestInfo test) {
        cluster = TestCluster.start("RestartIT-" + test.getTestMethod().orElseThrow().getName(), 3);
    }

    @AfterEach
    void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void fullClusterRestartKeepsEveryAcknowledgedKey() {
        TestCluster.Active active = cluster.awaitActive();
        Map<String, String> acknowledged = writeKeys(active, "full-restart/", 60);
        // Overwrite and delete some, so the restart must replay more than inserts.
        for (int i = 0; i < 10; i++) {
            String key = "full-restart/" + i;
            Http.Response r = cluster.http().put(active.url() + Http.kvPath(key), "second value " + i);
            assertThat(r.status()).as("%s", r).isEqualTo(200);
            acknowledged.put(key, "second value " + i);
        }
        for (int i = 10; i < 15; i++) {
            String key = "full-restart/" + i;
            Http.Response r = cluster.http().delete(active.url() + Http.kvPath(key));
            assertThat(r.status()).as("%s", r).isEqualTo(200);
            acknowledged.remove(key);
        }
        long revisionBefore = cluster.statusOf(active.node()).revision();

        cluster.terminateAll();
        for (NodeProcess n : cluster.nodes()) {
            assertThat(n.isAlive()).as("%s stopped", n.id()).isFalse();
        }
        cluster.startAll();

        TestCluster.Active after = cluster.awaitActive();
        System.out.printf("[it] RestartIT: after full restart %s ACTIVE at term %d (was %s at term %d)%n",
                after.id(), after.term(), active.id(), active.term());
        assertThat(after.term()).isGreaterThanOrEqualTo(active.term());
        assertKeys(after, "full-restart/", acknowledged);
        assertThat(cluster.statusOf(after.node()).revision()).isGreaterThanOrEqualTo(revisionBefore);
        for (int i = 10; i < 15; i++) {
            Http.Response r = cluster.http().get(after.url() + Http.kvPath("full-restart/" + i));
            assertThat(r.status()).as("deleted key stays deleted: %s", r).isEqualTo(404);
        }
        // And the cluster still takes writes.
        Http.Response r = cluster.http().put(after.url() + Http.kvPath("full-restart/new"), "x");
        assertThat(r.status()).as("%s", r).isEqualTo(200);
    }

    @Test
    void standbyKilledAndRestartedAtOnceRejoins() {
        TestCluster.Active active = cluster.awaitActive();
        Map<String, String> acknowledged = writeKeys(active, "standby-restart/", 20);
        NodeProcess standby = cluster.others(active.node()).get(0);

        long killedAt = System.nanoTime();
        standby.kill9();
        standby.restart();
        NodeStatus status = cluster.awaitCaughtUpStandby(standby, active);
        System.out.printf("[it] RestartIT: %s killed and restarted at once: STANDBY following %s after %d ms%n",
                standby.id(), active.id(), (System.nanoTime() - killedAt) / 1_000_000);
        assertThat(status.term()).isEqualTo(active.term());
        // The active was never disturbed.
        assertThat(cluster.activeNow(0)).hasValueSatisfying(a -> {
            assertThat(a.id()).isEqualTo(active.id());
            assertThat(a.term()).isEqualTo(active.term());
        });
        acknowledged.putAll(writeKeys(active, "standby-restart/after-", 5));
        assertKeys(active, "standby-restart/", acknowledged);
    }

    @Test
    void activeKilledAndRestartedAtOnceRejoins() {
        TestCluster.Active active = cluster.awaitActive();
        Map<String, String> acknowledged = writeKeys(active, "active-restart/", 20);

        long killedAt = System.nanoTime();
        active.node().kill9();
        active.node().restart();
        TestCluster.Active next = cluster.awaitActive(active.term());
        // The restarted node may win the election again (its log is complete); either way it must
        // take part: ACTIVE itself, or a caught-up STANDBY of the new active.
        if (!next.id().equals(active.id())) {
            cluster.awaitCaughtUpStandby(active.node(), next);
        }
        System.out.printf("[it] RestartIT: former active %s killed and restarted at once: %s ACTIVE at term %d, %s rejoined after %d ms%n",
                active.id(), next.id(), next.term(), active.id(), (System.nanoTime() - killedAt) / 1_000_000);
        assertKeys(next, "active-restart/", acknowledged);
        for (NodeProcess n : cluster.others(next.node())) {
            cluster.awaitCaughtUpStandby(n, next);
        }
    }

    private Map<String, String> writeKeys(TestCluster.Active active, String prefix, int count) {
        Map<String, String> written = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            String key = prefix + i;
            String value = "value " + i + " of " + prefix;
            Http.Response r = cluster.http().put(active.url() + Http.kvPath(key), value);
            assertThat(r.status()).as("%s", r).isEqualTo(200);
            written.put(key, value);
        }
        return written;
    }

    private void assertKeys(TestCluster.Active active, String prefix, Map<String, String> expected) {
        for (Map.Entry<String, String> e : expected.entrySet()) {
            Http.Response r = cluster.http().get(active.url() + Http.kvPath(e.getKey()));
            assertThat(r.status()).as("%s", r).isEqualTo(200);
            assertThat(r.json(KvEntry.class).value()).as(e.getKey()).isEqualTo(e.getValue());
        }
        Http.Response list = cluster.http().get(active.url() + "/v1/kv?prefix=" + prefix);
        assertThat(list.status()).as("%s", list).isEqualTo(200);
        KvEntry[] entries = list.json(KvEntry[].class);
        Map<String, String> listed = new LinkedHashMap<>();
        for (KvEntry entry : entries) {
            listed.put(entry.key(), entry.value());
        }
        assertThat(listed).isEqualTo(expected);
    }
}

package dev.baton.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.client.wire.ErrorBody;
import dev.baton.client.wire.KvEntry;
import dev.baton.client.wire.NodeStatus;
import dev.baton.client.wire.WriteResult;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Crash failover on three real node JVMs: write 100 keys, {@code kill -9} the ACTIVE, a new ACTIVE
 * takes over with a higher term and every acknowledged key is intact; the crashed node restarts
 * from its data and catches up as a STANDBY.
 */
@ExtendWith(NodeLogsOnFailure.class)
class FailoverIT {

    private static final int KEYS = 100;
    private static TestCluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = TestCluster.start("FailoverIT", 3);
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void killedActiveIsReplacedWithoutLosingAcknowledgedWrites() {
        Http http = cluster.http();
        TestCluster.Active first = cluster.awaitActive();
        NodeProcess standby = cluster.others(first.node()).get(0);

        // Every tenth key goes to a standby first: it must answer 307 naming the active.
        for (int i = 0; i < KEYS; i++) {
            String path = Http.kvPath(key(i));
            if (i % 10 == 0) {
                Http.Response redirect = http.put(standby.url() + path, value(i));
                assertThat(redirect.status()).as("PUT via standby: %s", redirect).isEqualTo(307);
                assertThat(redirect.header("Location")).hasValue(first.url() + path);
                ErrorBody body = redirect.error();
                assertThat(body.error()).isEqualTo("not_leader");
                assertThat(body.leader()).isNotNull();
                assertThat(body.leader().id()).isEqualTo(first.id());
                assertThat(body.leader().url()).isEqualTo(first.url());
                Http.Response followed = http.put(redirect.header("Location").orElseThrow(), value(i));
                assertWritten(followed, i, first.term());
            } else {
                assertWritten(http.put(first.url() + path, value(i)), i, first.term());
            }
        }
        assertThat(first.node().log()).contains("became ACTIVE at term " + first.term());

        long killedAt = System.nanoTime();
        first.node().kill9();
        TestCluster.Active second = cluster.awaitActive(first.term(), Duration.ofMillis(50));
        long takeoverMs = (System.nanoTime() - killedAt) / 1_000_000;
        System.out.printf(
                "[it] FailoverIT: takeover after kill -9 of %s (term %d): %s ACTIVE at term %d after %d ms (polled every 50 ms)%n",
                first.id(), first.term(), second.id(), second.term(), takeoverMs);

        assertThat(second.id()).isNotEqualTo(first.id());
        assertThat(second.term()).isGreaterThan(first.term());
        assertThat(second.node().log()).contains("became ACTIVE at term " + second.term());

        for (int i = 0; i < KEYS; i++) {
            Http.Response r = http.get(second.url() + Http.kvPath(key(i)));
            assertThat(r.status()).as("%s", r).isEqualTo(200);
            KvEntry entry = r.json(KvEntry.class);
            assertThat(entry.key()).isEqualTo(key(i));
            assertThat(entry.value()).isEqualTo(value(i));
        }

        for (int i = KEYS; i < KEYS + 10; i++) {
            assertWritten(http.put(second.url() + Http.kvPath(key(i)), value(i)), i, second.term());
        }

        // The other survivor follows the new active.
        NodeProcess survivor = cluster.others(second.node()).stream()
                .filter(n -> n != first.node())
                .findFirst()
                .orElseThrow();
        cluster.awaitCaughtUpStandby(survivor, second);

        long restartedAt = System.nanoTime();
        first.node().restart();
        NodeStatus caughtUp = cluster.awaitCaughtUpStandby(first.node(), second);
        System.out.printf("[it] FailoverIT: restarted %s is STANDBY at appliedIndex %d after %d ms%n",
                first.id(), caughtUp.appliedIndex(), (System.nanoTime() - restartedAt) / 1_000_000);
        assertThat(caughtUp.term()).isEqualTo(second.term());
        assertThat(caughtUp.revision()).isEqualTo(cluster.statusOf(second.node()).revision());

        // Still exactly one active, the same one, and the restarted node redirects to it.
        assertThat(cluster.activeNow(0)).hasValueSatisfying(a -> assertThat(a.id()).isEqualTo(second.id()));
        Http.Response redirect = http.get(first.node().url() + Http.kvPath(key(0)));
        assertThat(redirect.status()).as("%s", redirect).isEqualTo(307);
        assertThat(redirect.error().leader().id()).isEqualTo(second.id());
    }

    private static void assertWritten(Http.Response r, int i, long term) {
        assertThat(r.status()).as("%s", r).isEqualTo(200);
        WriteResult result = r.json(WriteResult.class);
        assertThat(result.key()).isEqualTo(key(i));
        assertThat(result.revision()).isPositive();
        assertThat(result.term()).isEqualTo(term);
    }

    private static String key(int i) {
        return String.format("failover/key-%03d", i);
    }

    private static String value(int i) {
        return "value of key " + i + " \u2713";
    }
}

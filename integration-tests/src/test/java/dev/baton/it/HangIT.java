package dev.baton.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.baton.client.wire.KvEntry;
import dev.baton.client.wire.NodeStatus;
import dev.baton.client.wire.WriteResult;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A hung active ({@code SIGSTOP}: its sockets stay open, it just stops answering) is replaced by a
 * new ACTIVE with a higher term; once resumed ({@code SIGCONT}) it must not act as ACTIVE again
 * next to the new one, must not acknowledge writes of its old term, and rejoins as STANDBY.
 */
@ExtendWith(NodeLogsOnFailure.class)
class HangIT {

    private static TestCluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = TestCluster.start("HangIT", 3);
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void hungActiveIsReplacedAndStaysOutOfTheWayWhenItResumes() {
        Http http = cluster.http();
        TestCluster.Active first = cluster.awaitActive();
        for (int i = 0; i < 20; i++) {
            assertThat(http.put(first.url() + Http.kvPath("hang/" + i), "v" + i).status()).isEqualTo(200);
        }

        long stoppedAt = System.nanoTime();
        first.node().sigstop();
        TestCluster.Active second = cluster.awaitActive(first.term(), Duration.ofMillis(50));
        System.out.printf("[it] HangIT: takeover after SIGSTOP of %s (term %d): %s ACTIVE at term %d after %d ms (polled every 50 ms)%n",
                first.id(), first.term(), second.id(), second.term(), (System.nanoTime() - stoppedAt) / 1_000_000);
        assertThat(second.id()).isNotEqualTo(first.id());

        first.node().sigcont();
        // The resumed node's first answers: no ACTIVE role, no write acknowledged in its old term.
        Http.Response write = http.put(first.url() + Http.kvPath("hang/after-resume"), "stale?");
        if (write.status() == 200) {
            assertThat(write.json(WriteResult.class).term())
                    .as("a write acknowledged by the resumed node: %s", write)
                    .isGreaterThan(first.term());
        }
        long resumedAt = System.nanoTime();
        await(first.id() + " back as STANDBY following " + second.id())
                .atMost(TestCluster.WAIT)
                .pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    Optional<NodeStatus> s = cluster.tryStatus(first.node());
                    s.ifPresent(st -> assertThat(st.role())
                            .as("role of the resumed former active %s (term %d)", first.id(), st.term())
                            .isNotEqualTo("ACTIVE"));
                    return s.filter(st -> "STANDBY".equals(st.role())
                                    && st.leader() != null
                                    && second.id().equals(st.leader().id()))
                            .isPresent();
                });
        System.out.printf("[it] HangIT: resumed %s is STANDBY again after %d ms%n",
                first.id(), (System.nanoTime() - resumedAt) / 1_000_000);

        assertThat(cluster.activeNow(0)).hasValueSatisfying(a -> assertThat(a.id()).isEqualTo(second.id()));
        for (int i = 0; i < 20; i++) {
            Http.Response r = http.get(second.url() + Http.kvPath("hang/" + i));
            assertThat(r.status()).as("%s", r).isEqualTo(200);
            assertThat(r.json(KvEntry.class).value()).isEqualTo("v" + i);
        }
        cluster.awaitCaughtUpStandby(first.node(), second);
    }
}

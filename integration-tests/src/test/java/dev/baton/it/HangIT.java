package dev.baton.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.baton.client.wire.KvEntry;
import dev.baton.client.wire.WriteResult;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A hung active ({@code SIGSTOP}: its sockets stay open, it just stops answering) is replaced by a
 * new ACTIVE with a higher term; once resumed ({@code SIGCONT}) it must not acknowledge writes of
 * its old term, and rejoins as STANDBY. That it never acted as ACTIVE next to the new one is read
 * from the role logs ({@link RoleLog}): its ACTIVE interval ended by lease expiry while it was
 * stopped, before the successor's began.
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

        long resumeAt = System.nanoTime();
        first.node().sigcont();
        // The resumed node's first answers: no write acknowledged in its old term.
        Http.Response write = http.put(first.url() + Http.kvPath("hang/after-resume"), "stale?");
        if (write.status() == 200) {
            assertThat(write.json(WriteResult.class).term())
                    .as("a write acknowledged by the resumed node: %s", write)
                    .isGreaterThan(first.term());
        }
        await(first.id() + " back as STANDBY following " + second.id())
                .atMost(TestCluster.WAIT)
                .pollInterval(Duration.ofMillis(100))
                .until(() -> cluster.tryStatus(first.node())
                        .filter(st -> "STANDBY".equals(st.role())
                                && st.leader() != null
                                && second.id().equals(st.leader().id()))
                        .isPresent());
        System.out.printf("[it] HangIT: resumed %s is STANDBY again after %d ms%n",
                first.id(), (System.nanoTime() - resumeAt) / 1_000_000);
        assertActiveEndedByLeaseExpiryBeforeTheSuccessor(first, second, stoppedAt, resumeAt);

        assertThat(cluster.activeNow(0)).hasValueSatisfying(a -> assertThat(a.id()).isEqualTo(second.id()));
        for (int i = 0; i < 20; i++) {
            Http.Response r = http.get(second.url() + Http.kvPath("hang/" + i));
            assertThat(r.status()).as("%s", r).isEqualTo(200);
            assertThat(r.json(KvEntry.class).value()).isEqualTo("v" + i);
        }
        cluster.awaitCaughtUpStandby(first.node(), second);
    }

    /**
     * From the role logs: the paused node's ACTIVE interval of its term ended at an instant while
     * it was stopped (only the lease expiry, which the node stamps on the transition it logs after
     * SIGCONT, can be such an instant), no later than the successor's ACTIVE began; and no two
     * ACTIVE intervals overlap at all.
     */
    private static void assertActiveEndedByLeaseExpiryBeforeTheSuccessor(
            TestCluster.Active first, TestCluster.Active second, long stoppedAt, long resumeAt) {
        Map<String, String> logs = new LinkedHashMap<>();
        cluster.nodes().forEach(n -> logs.put(n.id(), n.log()));
        List<RoleLog.Interval> intervals = RoleLog.activeIntervals(logs, Map.of(), System.nanoTime());
        RoleLog.Interval paused = intervals.stream()
                .filter(iv -> iv.node().equals(first.id()) && iv.term() == first.term() && iv.start() < stoppedAt)
                .reduce((a, b) -> b)
                .orElseThrow(() -> new AssertionError("no ACTIVE interval of " + first.id() + " in term " + first.term()
                        + " before SIGSTOP in " + intervals));
        RoleLog.Interval successor = intervals.stream()
                .filter(iv -> iv.node().equals(second.id()) && iv.term() == second.term())
                .findFirst()
                .orElseThrow(() -> new AssertionError("no ACTIVE interval of " + second.id() + " in term "
                        + second.term() + " in " + intervals));
        System.out.printf("[it] HangIT: %s ACTIVE ended %.1f ms after SIGSTOP (%s); %s ACTIVE %.1f ms later%n",
                first.id(), (paused.end() - stoppedAt) / 1e6, paused.endedBy(), second.id(),
                (successor.start() - paused.end()) / 1e6);
        assertThat(paused.endedBy()).as("how %s's ACTIVE ended: %s", first.id(), paused).matches("[A-Z_]+ at term \\d+");
        assertThat(paused.end()).as("end of %s's ACTIVE: while it was stopped (lease expiry), %s", first.id(), paused)
                .isGreaterThan(stoppedAt)
                .isLessThan(resumeAt);
        assertThat(paused.end()).as("end of %s's ACTIVE vs start of %s's: %s / %s", first.id(), second.id(), paused,
                successor).isLessThanOrEqualTo(successor.start());
        assertThat(RoleLog.overlaps(intervals)).as("overlapping ACTIVE intervals in the node logs").isEmpty();
    }
}

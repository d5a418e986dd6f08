package dev.baton.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.client.wire.KvEntry;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Linearizable reads from the lease ({@code --reads lease}, the default; Raft dissertation §6.4.1):
 * the ACTIVE answers from its own state while it holds its lease, with no log round, and still
 * shows every acknowledged write; an ACTIVE whose lease ran out (paused, then resumed after a
 * successor wrote) never answers from its old state. {@code --reads log} keeps the log round.
 */
@ExtendWith(NodeLogsOnFailure.class)
class LeaseReadIT {

    private TestCluster cluster;

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static String name(TestInfo test, String suffix) {
        return "LeaseReadIT-" + test.getTestMethod().orElseThrow().getName() + suffix;
    }

    /** Writes and reads back {@code pairs} times on the ACTIVE; returns by how much its commit index grew. */
    private long commitGrowthOfWriteReadPairs(int pairs) {
        TestCluster.Active active = cluster.awaitActive();
        long before = cluster.statusOf(active.node()).commitIndex();
        for (int i = 0; i < pairs; i++) {
            Http.Response w = cluster.http().put(active.url() + Http.kvPath("lr/k"), "v" + i);
            assertThat(w.status()).as("%s", w).isEqualTo(200);
            Http.Response r = cluster.http().get(active.url() + Http.kvPath("lr/k"));
            assertThat(r.status()).as("%s", r).isEqualTo(200);
            assertThat(r.json(KvEntry.class).value()).as("read after the acknowledged write of v%d", i).isEqualTo("v" + i);
        }
        Http.Response list = cluster.http().get(active.url() + "/v1/kv?prefix=lr/");
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.text()).contains("\"v" + (pairs - 1) + "\"");
        assertThat(cluster.activeNow(0)).map(TestCluster.Active::id).hasValue(active.id()); // no failover in between
        return cluster.statusOf(active.node()).commitIndex() - before;
    }

    @Test
    void leaseReadsTakeNoLogRoundAndSeeEveryAcknowledgedWrite(TestInfo test) {
        cluster = TestCluster.start(name(test, ""), 3);
        assertThat(commitGrowthOfWriteReadPairs(30)).as("log entries for 30 writes and 31 lease reads").isEqualTo(30);
    }

    @Test
    void logReadsStillPassThroughTheLog(TestInfo test) {
        cluster = TestCluster.start(name(test, ""), 3, "--reads", "log");
        assertThat(commitGrowthOfWriteReadPairs(30)).as("log entries for 30 writes and 31 log reads").isEqualTo(61);
    }

    @Test
    void aResumedActiveWhoseLeaseRanOutNeverAnswersFromItsOldState(TestInfo test) {
        cluster = TestCluster.start(name(test, ""), 3);
        TestCluster.Active first = cluster.awaitActive();
        assertThat(cluster.http().put(first.url() + Http.kvPath("lr/x"), "old").status()).isEqualTo(200);
        assertThat(cluster.http().get(first.url() + Http.kvPath("lr/x")).status()).isEqualTo(200);

        first.node().sigstop();
        TestCluster.Active second = cluster.awaitActive(first.term(), Duration.ofMillis(50));
        assertThat(cluster.http().put(second.url() + Http.kvPath("lr/x"), "new").status()).isEqualTo(200);
        first.node().sigcont();

        // its first answers after the resume: a redirect, a 503, or the new value; never "old"
        for (int i = 0; i < 20; i++) {
            Http.Response r = cluster.http().get(first.url() + Http.kvPath("lr/x"));
            if (r.status() == 200) {
                assertThat(r.json(KvEntry.class).value()).as("answer %d of the resumed old ACTIVE", i).isEqualTo("new");
            } else {
                assertThat(r.status()).as("%s", r).isIn(307, 503);
            }
        }
    }
}

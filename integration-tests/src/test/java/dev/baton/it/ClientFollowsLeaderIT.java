package dev.baton.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.baton.client.BatonClient;
import dev.baton.client.LeaderEvent;
import dev.baton.client.LeaderWatch;
import dev.baton.client.wire.KvEntry;
import dev.baton.client.wire.WriteResult;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The client follows leadership on three real node JVMs (issue 4): {@code watchLeader} delivers
 * each new term once and in order across two failovers, and a write stuck on an ACTIVE that hangs
 * is answered by its successor while the old ACTIVE still hangs.
 */
@ExtendWith(NodeLogsOnFailure.class)
class ClientFollowsLeaderIT {

    private static TestCluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = TestCluster.start("ClientFollowsLeaderIT", 3);
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    /** Every test starts from every node running: one ACTIVE, the others caught-up STANDBYs. */
    @BeforeEach
    void allNodesUp() {
        cluster.restartDead();
        cluster.awaitSettled();
    }

    @Test
    void watchLeaderSeesEachNewTermOnceAndInOrderAcrossTwoFailovers() {
        List<LeaderEvent> events = new CopyOnWriteArrayList<>();
        try (BatonClient client = TestClients.of(cluster); LeaderWatch watch = client.watchLeader(events::add)) {
            TestCluster.Active first = cluster.awaitActive();
            awaitLeaderEvent(events, first.term());

            first.node().kill9();
            TestCluster.Active second = cluster.awaitActive(first.term());
            awaitLeaderEvent(events, second.term());
            first.node().restart();
            cluster.awaitSettled();

            second.node().kill9();
            TestCluster.Active third = cluster.awaitActive(second.term());
            awaitLeaderEvent(events, third.term());
            assertThat(watch.isOpen()).isTrue();

            List<LeaderEvent> leaders = events.stream().filter(LeaderEvent::hasLeader).toList();
            System.out.printf("[it] ClientFollowsLeaderIT: watch saw %s%n", events);
            assertThat(leaders.stream().map(e -> e.leader().orElseThrow().id()).toList())
                    .as("one leader event per term, in order")
                    .containsExactly(first.id(), second.id(), third.id());
            assertThat(leaders.stream().map(LeaderEvent::term).toList())
                    .containsExactly(first.term(), second.term(), third.term());
            for (int k = 1; k < events.size(); k++) {
                assertThat(events.get(k).term()).as("terms never go back: %s", events).isGreaterThanOrEqualTo(events.get(k - 1).term());
            }
        }
    }

    private static void awaitLeaderEvent(List<LeaderEvent> events, long term) {
        await("watch delivers the leader of term " + term).atMost(TestCluster.WAIT)
                .until(() -> events.stream().anyMatch(e -> e.hasLeader() && e.term() == term));
    }

    /**
     * A write sent to an ACTIVE that hangs right then is answered by its successor while the old
     * ACTIVE is still hung: the client leaves the stuck attempt once the cluster names a newer
     * leader. Its attempt timeout and deadline are hours, so the write is answered at all only by
     * that behaviour, never by a timeout; {@link TestCluster#WAIT} only bounds the test. Same
     * client id and sequence: applied once.
     */
    @Test
    void aWriteStuckOnAHungActiveIsAnsweredByItsSuccessorWhileTheOldActiveStillHangs() throws Exception {
        TestCluster.Active old = cluster.awaitActive();
        try (BatonClient patient = TestClients.builder(cluster)
                .requestTimeout(Duration.ofHours(1))
                .deadline(Duration.ofHours(2))
                .build()) {
            WriteResult before = patient.put("stuck/warm-up", "cache the active");
            assertThat(before.term()).as("the client has the current active cached").isEqualTo(old.term());

            old.node().sigstop();
            WriteResult answered;
            try {
                CompletableFuture<WriteResult> write =
                        CompletableFuture.supplyAsync(() -> patient.put("stuck/key", "after the hang"));
                await("the write leaves the hung active " + old.id() + " and is answered")
                        .atMost(TestCluster.WAIT)
                        .until(write::isDone);
                answered = write.join();
                assertThat(old.node().isAlive()).as("the old active is still there, only stopped").isTrue();
            } finally {
                old.node().sigcont();
            }
            assertThat(answered.term()).as("answered by a successor of term %d", old.term()).isGreaterThan(old.term());
            assertThat(patient.get("stuck/key")).map(KvEntry::value).contains("after the hang");
            assertThat(answered.existed()).as("applied once: the key was new").isFalse();
        }
    }
}

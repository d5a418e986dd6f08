package dev.baton.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.baton.client.BatonClient;
import dev.baton.client.BatonException;
import dev.baton.client.NoLeaderException;
import dev.baton.client.OutcomeUnknownException;
import dev.baton.client.wire.KvEntry;
import dev.baton.client.wire.WriteResult;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Exactly-once writes through the client across real faults on five node JVMs (issue 4): one
 * writer puts its own keys and chains compare-and-sets on a counter while the ACTIVE is killed
 * ({@code kill -9}) and then its successor hung ({@code SIGSTOP}); every acknowledged write is
 * there once, in order, and nothing was applied twice.
 */
@ExtendWith(NodeLogsOnFailure.class)
class ExactlyOnceWriterIT {

    private static TestCluster cluster;

    @BeforeAll
    static void startCluster() {
        // five nodes: the writer takes two faults in a row (kill -9, then SIGSTOP) without a
        // restart in between, and three of five still form a majority
        cluster = TestCluster.start("ExactlyOnceWriterIT", 5);
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    /** One acknowledged write of the writer, in issue order. */
    private record Ack(long i, String key, long revision, long term, long atNanos) {}

    private static final String COUNTER = "exactly-once/counter";

    private static String writeKey(long i) {
        return String.format("exactly-once/w/%06d", i);
    }

    @Test
    void everyAcknowledgedWriteIsAppliedExactlyOnceAndInOrderAcrossKillAndPause() throws Exception {
        TestCluster.Active first = cluster.awaitActive();
        long baseRevision = cluster.statusOf(first.node()).revision();
        List<Ack> acks = new CopyOnWriteArrayList<>();
        List<Long> unknownPuts = new CopyOnWriteArrayList<>();
        List<Long> failedPuts = new CopyOnWriteArrayList<>();
        List<String> errors = new CopyOnWriteArrayList<>();
        long[] casApplied = {0};
        long[] lastIssued = {0};
        AtomicBoolean stop = new AtomicBoolean();

        try (BatonClient client = TestClients.of(cluster)) {
            // The writer: for each i, a put of its own key, then a compare-and-set of the counter from
            // its last revision to i. A write applied twice would show as a key whose revision is not
            // the acknowledged one, as a revision mismatch on the counter, or as extra revisions.
            Thread writer = new Thread(() -> {
                long counterRev = client.compareAndSet(COUNTER, 0, "0").revision();
                casApplied[0]++;
                for (long i = 1; !stop.get(); i++) {
                    lastIssued[0] = i;
                    try {
                        WriteResult w = client.put(writeKey(i), "v" + i);
                        acks.add(new Ack(i, writeKey(i), w.revision(), w.term(), System.nanoTime()));
                    } catch (OutcomeUnknownException e) {
                        unknownPuts.add(i);
                    } catch (NoLeaderException e) {
                        failedPuts.add(i);
                    } catch (BatonException e) {
                        errors.add("put " + i + ": " + e);
                    }
                    try {
                        WriteResult c = client.compareAndSet(COUNTER, counterRev, Long.toString(i));
                        acks.add(new Ack(i, COUNTER, c.revision(), c.term(), System.nanoTime()));
                        counterRev = c.revision();
                        casApplied[0]++;
                    } catch (OutcomeUnknownException | NoLeaderException e) {
                        // find out whether it was applied, and continue the chain from what is there
                        KvEntry now = client.get(COUNTER).orElseThrow();
                        if (now.value().equals(Long.toString(i)) && now.revision() != counterRev) {
                            casApplied[0]++;
                        }
                        counterRev = now.revision();
                    } catch (BatonException e) {
                        // includes RevisionMismatchException: with de-duplication a retried CAS never conflicts with itself
                        errors.add("cas " + i + ": " + e);
                        stop.set(true);
                    }
                }
            }, "exactly-once-writer");
            writer.start();
            try {
                awaitAcks(acks, 200);
                long killedAt = System.nanoTime();
                first.node().kill9();
                TestCluster.Active second = cluster.awaitActive(first.term());
                awaitAcksAfter(acks, killedAt, 200);
                System.out.printf("[it] ExactlyOnceWriterIT: kill -9 of %s (term %d): %s ACTIVE at term %d; writer paused %d ms%n",
                        first.id(), first.term(), second.id(), second.term(), longestGapMs(acks, killedAt));

                long stoppedAt = System.nanoTime();
                second.node().sigstop();
                TestCluster.Active third;
                try {
                    third = cluster.awaitActive(second.term());
                    awaitAcksAfter(acks, stoppedAt, 200);
                } finally {
                    second.node().sigcont();
                }
                System.out.printf("[it] ExactlyOnceWriterIT: SIGSTOP of %s (term %d): %s ACTIVE at term %d; writer paused %d ms%n",
                        second.id(), second.term(), third.id(), third.term(), longestGapMs(acks, stoppedAt));
                long resumedAt = System.nanoTime();
                awaitAcksAfter(acks, resumedAt, 200);
            } finally {
                stop.set(true);
                writer.join(60_000);
            }
            assertThat(writer.isAlive()).isFalse();
        }

        assertThat(errors).as("unexpected errors (a revision mismatch means a write was applied twice)").isEmpty();
        assertThat(acks.stream().map(Ack::term).distinct().count()).as("writes acknowledged in >= 3 terms").isGreaterThanOrEqualTo(3);

        // Order: one writer, one write at a time: acknowledged revisions strictly increase in issue order.
        for (int k = 1; k < acks.size(); k++) {
            assertThat(acks.get(k).revision()).as("revision of %s after %s", acks.get(k), acks.get(k - 1))
                    .isGreaterThan(acks.get(k - 1).revision());
        }

        TestCluster.Active active = cluster.awaitActive();
        try (BatonClient reader = TestClients.of(cluster)) {
            Map<String, KvEntry> present = new HashMap<>();
            for (long bucket = 0; bucket <= lastIssued[0] / 1000; bucket++) {
                for (KvEntry e : reader.list(String.format("exactly-once/w/%03d", bucket))) {
                    present.put(e.key(), e);
                }
            }
            // Every acknowledged put is there, with its value and the revision it was acknowledged
            // with: a second application would have given it a later revision.
            List<Ack> puts = acks.stream().filter(a -> !a.key().equals(COUNTER)).toList();
            for (Ack a : puts) {
                assertThat(present.get(a.key())).as("acknowledged %s", a)
                        .isEqualTo(new KvEntry(a.key(), "v" + a.i(), a.revision()));
            }
            // Nothing that was never sent successfully (NoLeaderException) appeared.
            for (long i : failedPuts) {
                assertThat(present).doesNotContainKey(writeKey(i));
            }
            assertThat(present.size()).isEqualTo(puts.size() + unknownPuts.stream().filter(i -> present.containsKey(writeKey(i))).count());
            // Nothing was applied twice: the global revision counts exactly the distinct writes.
            long finalRevision = cluster.statusOf(active.node()).revision();
            assertThat(finalRevision - baseRevision).as("mutations applied").isEqualTo(present.size() + casApplied[0]);
            for (NodeProcess n : cluster.others(active.node())) {
                if (n.isAlive()) {
                    assertThat(cluster.awaitCaughtUpStandby(n, active).revision()).as("revision of %s", n)
                            .isEqualTo(finalRevision);
                }
            }
            KvEntry counter = reader.get(COUNTER).orElseThrow();
            System.out.printf("[it] ExactlyOnceWriterIT: %d writes issued, %d acknowledged (%d puts + %d CAS), %d unknown, "
                            + "%d not applied; %d mutations applied exactly once; counter at %s%n",
                    2 * lastIssued[0], acks.size(), puts.size(), acks.size() - puts.size(), unknownPuts.size(),
                    failedPuts.size(), finalRevision - baseRevision, counter.value());
        }
    }

    private static void awaitAcks(List<Ack> acks, int n) {
        await("%d acknowledged writes".formatted(n)).atMost(TestCluster.WAIT).until(() -> acks.size() >= n);
    }

    private static void awaitAcksAfter(List<Ack> acks, long sinceNanos, int n) {
        await("%d writes acknowledged after the fault".formatted(n)).atMost(TestCluster.WAIT)
                .until(() -> acks.stream().filter(a -> a.atNanos() > sinceNanos).count() >= n);
    }

    /** The longest time between two acknowledgements from {@code sinceNanos} on (client-observed pause). */
    private static long longestGapMs(List<Ack> acks, long sinceNanos) {
        long prev = sinceNanos;
        long gap = 0;
        for (Ack a : List.copyOf(acks)) {
            if (a.atNanos() > sinceNanos) {
                gap = Math.max(gap, a.atNanos() - prev);
                prev = a.atNanos();
            }
        }
        return gap / 1_000_000;
    }
}

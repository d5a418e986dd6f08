package dev.baton.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class SeqTrackerTest {

    private final SeqTracker seqs = new SeqTracker();

    @Test
    void numbersStartAtOneAndAckedBelowIsTheNextWhenNothingIsInFlight() {
        assertThat(seqs.ackedBelow()).isEqualTo(1);
        long a = seqs.begin();
        assertThat(a).isEqualTo(1);
        assertThat(seqs.ackedBelow()).as("1 is in flight").isEqualTo(1);
        seqs.end(a);
        assertThat(seqs.ackedBelow()).isEqualTo(2);
    }

    @Test
    void ackedBelowIsTheLowestNumberStillInFlight() {
        long a = seqs.begin();
        long b = seqs.begin();
        long c = seqs.begin();
        seqs.end(b);
        assertThat(seqs.ackedBelow()).as("a is still in flight").isEqualTo(a);
        seqs.end(a);
        assertThat(seqs.ackedBelow()).isEqualTo(c);
        seqs.end(c);
        assertThat(seqs.ackedBelow()).isEqualTo(4);
        assertThat(seqs.inFlightCount()).isZero();
    }

    @Test
    void endingANumberTwiceIsABug() {
        long a = seqs.begin();
        seqs.end(a);
        assertThatThrownBy(() -> seqs.end(a)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void concurrentWritersNeverSeeTheirOwnNumberAcknowledged() throws InterruptedException {
        int threads = 8;
        int perThread = 5_000;
        ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread w = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < perThread; i++) {
                    long seq = seqs.begin();
                    long acked = seqs.ackedBelow();
                    if (acked > seq) {
                        violations.add("seq " + seq + " sent with acked-below " + acked);
                    }
                    seqs.end(seq);
                }
            });
            w.start();
            workers.add(w);
        }
        start.countDown();
        for (Thread w : workers) {
            w.join();
        }
        assertThat(violations).isEmpty();
        assertThat(seqs.ackedBelow()).isEqualTo(threads * perThread + 1L);
    }
}

package dev.baton.node.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class StorageHealthTest {

    private static final IOException FULL = new IOException("No space left on device");

    @Test
    void aFailedWriteOpensAFaultThatTheNextSuccessOfThatPartCloses() {
        StorageHealth h = new StorageHealth();
        assertThat(h.healthy()).isTrue();

        h.failed(StorageHealth.Part.LOG, "appending entries 5..6", FULL);
        assertThat(h.fault().reason()).isEqualTo("log: appending entries 5..6 failed: No space left on device");

        h.succeeded(StorageHealth.Part.METADATA); // another part working says nothing about the log
        assertThat(h.healthy()).isFalse();
        h.succeeded(StorageHealth.Part.LOG);
        assertThat(h.healthy()).isTrue();
    }

    @Test
    void repeatedFailuresKeepTheFirstErrorAndTheListenerHearsOnlyChanges() {
        StorageHealth h = new StorageHealth();
        AtomicInteger changes = new AtomicInteger();
        h.onChange(changes::incrementAndGet);

        h.failed(StorageHealth.Part.LOG, "appending entries 5..6", FULL);
        StorageFault first = h.fault();
        h.failed(StorageHealth.Part.LOG, "appending entries 5..9", new IOException("Input/output error"));
        assertThat(h.fault()).isSameAs(first);
        assertThat(changes).hasValue(1);

        h.succeeded(StorageHealth.Part.LOG);
        h.succeeded(StorageHealth.Part.LOG);
        assertThat(changes).hasValue(2);
    }

    @Test
    void theNodeIsHealthyOnlyWhenEveryPartWorks() {
        StorageHealth h = new StorageHealth();
        h.failed(StorageHealth.Part.METADATA, "storing term 4", new IOException("Operation not permitted"));
        h.failed(StorageHealth.Part.LOG, "appending entries 5..6", FULL);
        assertThat(h.fault().part()).isEqualTo(StorageHealth.Part.METADATA); // the oldest open fault

        h.succeeded(StorageHealth.Part.METADATA);
        assertThat(h.fault().part()).isEqualTo(StorageHealth.Part.LOG);
        h.succeeded(StorageHealth.Part.LOG);
        assertThat(h.healthy()).isTrue();
    }

    @Test
    void theReasonNamesTheInnermostCause() {
        StorageHealth h = new StorageHealth();
        h.failed(StorageHealth.Part.SNAPSHOT, "storing the snapshot at 10",
                new java.io.UncheckedIOException(new IOException("Read-only file system")));
        assertThat(h.fault().reason()).isEqualTo("snapshot: storing the snapshot at 10 failed: Read-only file system");
    }

    @Test
    void aPartThatFailsAgainSoonAfterRecoveringStaysUnhealthyUntilItsWritesHaveWorkedForASecond() {
        // a nearly full disk: a failed append gives its space back and the next small one fits
        long[] now = {0};
        StorageHealth h = new StorageHealth(() -> now[0]);
        AtomicInteger changes = new AtomicInteger();
        h.onChange(changes::incrementAndGet);
        h.failed(StorageHealth.Part.LOG, "appending entries 5..6", FULL);
        h.succeeded(StorageHealth.Part.LOG); // the first recovery closes at once
        assertThat(h.healthy()).isTrue();
        assertThat(changes).hasValue(2);

        now[0] += 21_000_000; // 21 ms later: a flap
        h.failed(StorageHealth.Part.LOG, "appending entries 7..7", FULL);
        h.succeeded(StorageHealth.Part.LOG);
        now[0] += 500_000_000;
        h.succeeded(StorageHealth.Part.LOG);
        assertThat(h.healthy()).as("writes worked for 0.5 s only").isFalse();
        h.failed(StorageHealth.Part.LOG, "appending entries 8..8", FULL); // and flapped again: the clock restarts
        h.succeeded(StorageHealth.Part.LOG);
        now[0] += 900_000_000;
        h.settle();
        assertThat(h.healthy()).isFalse();
        now[0] += 200_000_000;
        h.settle(); // an idle node: the probe closes it
        assertThat(h.healthy()).isTrue();
        assertThat(changes).as("one UNHEALTHY and one healthy change for the whole flapping episode").hasValue(4);
    }
}

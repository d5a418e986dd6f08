package dev.baton.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.client.wire.KvEntry;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A follower's log damaged while it is stopped: bytes of a stored value replaced, bytes flipped
 * elsewhere, or the tail cut off. The node must never serve damaged data: it refuses to start
 * (exit 3, message naming the file and offset), or with {@code --repair-log} discards the damaged
 * suffix and is sent it again by the leader; a cut-off tail is what a crash mid-write leaves and is
 * recovered from the peers without the flag.
 */
@ExtendWith(NodeLogsOnFailure.class)
class CorruptLogIT {

    private static final int KEYS = 20;

    private TestCluster cluster;

    @AfterEach
    void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private void start(TestInfo test) {
        cluster = TestCluster.start("CorruptLogIT-" + test.getTestMethod().orElseThrow().getName(), 3);
    }

    @Test
    void aChangedValueStopsTheStartAndRepairServesTheRightValue(TestInfo test) throws Exception {
        start(test);
        TestCluster.Active active = cluster.awaitActive();
        writeValues(active);
        NodeProcess follower = cluster.others(active.node()).get(0);
        cluster.awaitCaughtUpStandby(follower, active);
        follower.terminate();

        Path file = entriesFile(follower);
        long at = replaceAll(file, "value-05", "EVIL!-05");
        flip(file, offsetOf(file, "value-12") - 12, 16);
        System.out.printf("[it] CorruptLogIT: value-05 at byte %d of %s replaced, 16 bytes flipped near value-12%n", at, file);

        follower.start();
        Integer exit = follower.awaitExitCode(60);
        assertThat(exit).as("%s must refuse to start on a damaged log; log:%n%s", follower.id(), follower.logTail(40))
                .isEqualTo(3);
        assertThat(follower.log())
                .contains("damaged storage")
                .contains(file.toString())
                .contains("log entry ")
                .contains("byte offset ")
                .contains("--repair-log");

        follower.start(List.of("--repair-log"));
        cluster.awaitCaughtUpStandby(follower, active);
        assertValuesOnReplica(follower);
        // it had acknowledged the discarded entries: it stayed out of elections until it held them again
        assertThat(follower.log()).contains("were committed and are gone from").contains("holds the committed entries up to");

        // the repaired node as the ACTIVE serves the right value to every client
        Http.Response t = cluster.http().method("POST", active.url() + "/v1/admin/transfer?to=" + follower.id(), new byte[0]);
        assertThat(t.status()).as("%s", t).isEqualTo(200);
        TestCluster.Active now = cluster.awaitActive(active.term());
        assertThat(now.id()).isEqualTo(follower.id());
        for (int i = 1; i <= KEYS; i++) {
            Http.Response r = cluster.http().get(now.url() + Http.kvPath(key(i)));
            assertThat(r.status()).as("%s", r).isEqualTo(200);
            assertThat(r.json(KvEntry.class).value()).isEqualTo(value(i));
        }
        assertThat(follower.log()).doesNotContain("EVIL");
    }

    @Test
    void aCutOffLogTailIsRecoveredFromThePeers(TestInfo test) throws Exception {
        start(test);
        TestCluster.Active active = cluster.awaitActive();
        writeValues(active);
        NodeProcess follower = cluster.others(active.node()).get(0);
        cluster.awaitCaughtUpStandby(follower, active);
        follower.terminate();

        Path file = entriesFile(follower);
        long cut = offsetOf(file, "value-15") + 3; // inside the record of value-15: a write torn by a crash
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(cut);
        }

        follower.start();
        cluster.awaitCaughtUpStandby(follower, active);
        assertValuesOnReplica(follower);
        Http.Response more = cluster.http().put(active.url() + Http.kvPath("after-cut"), "fresh");
        assertThat(more.status()).as("%s", more).isEqualTo(200);
        cluster.awaitCaughtUpStandby(follower, active);
        Http.Response r = cluster.http().get(follower.url() + Http.kvPath("after-cut") + "?stale=true");
        assertThat(r.status()).as("%s", r).isEqualTo(200);
        assertThat(r.json(KvEntry.class).value()).isEqualTo("fresh");
    }

    @Test
    void aDamagedSnapshotStopsTheStartAndRepairInstallsTheLeadersSnapshot(TestInfo test) throws Exception {
        cluster = TestCluster.start("CorruptLogIT-" + test.getTestMethod().orElseThrow().getName(), 3,
                "--snapshot-log-bytes", "65536");
        TestCluster.Active active = cluster.awaitActive();
        writeValues(active);
        String filler = "f".repeat(2000);
        for (int i = 0; i < 80; i++) { // ~160 KB of log: every node snapshots and cuts its log
            Http.Response r = cluster.http().put(active.url() + Http.kvPath("filler/" + i), filler);
            assertThat(r.status()).as("%s", r).isEqualTo(200);
        }
        NodeProcess follower = cluster.others(active.node()).get(0);
        cluster.awaitCaughtUpStandby(follower, active);
        follower.terminate();
        Path snapshot = follower.raftFile("snapshot.crc");
        assertThat(snapshot).as("the follower took a snapshot").exists();

        // a restart from an intact snapshot and the log after it keeps every value
        follower.start();
        cluster.awaitCaughtUpStandby(follower, active);
        assertValuesOnReplica(follower);
        follower.terminate();

        replaceAll(snapshot, "value-05", "EVIL!-05");
        follower.start();
        Integer exit = follower.awaitExitCode(60);
        assertThat(exit).as("%s must refuse to start on a damaged snapshot; log:%n%s", follower.id(), follower.logTail(40))
                .isEqualTo(3);
        assertThat(follower.log()).contains("damaged storage").contains(snapshot.toString()).contains("checksum mismatch");

        follower.start(List.of("--repair-log"));
        cluster.awaitCaughtUpStandby(follower, active);
        assertValuesOnReplica(follower);
        assertThat(follower.log()).doesNotContain("EVIL");
    }

    private void writeValues(TestCluster.Active active) {
        for (int i = 1; i <= KEYS; i++) {
            Http.Response r = cluster.http().put(active.url() + Http.kvPath(key(i)), value(i));
            assertThat(r.status()).as("%s", r).isEqualTo(200);
        }
    }

    private void assertValuesOnReplica(NodeProcess node) {
        for (int i = 1; i <= KEYS; i++) {
            Http.Response r = cluster.http().get(node.url() + Http.kvPath(key(i)) + "?stale=true");
            assertThat(r.status()).as("%s", r).isEqualTo(200);
            assertThat(r.json(KvEntry.class).value()).as("%s on %s", key(i), node.id()).isEqualTo(value(i));
        }
    }

    private static String key(int i) {
        return "crc/%02d".formatted(i);
    }

    private static String value(int i) {
        return "value-%02d".formatted(i);
    }

    /** The node's log entries file: {@code <data>/<id>.log/entries.*} (whatever the log implementation names it). */
    private static Path entriesFile(NodeProcess node) throws IOException {
        Path dir = node.dataDir().resolve(node.id() + ".log");
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().startsWith("entries."))
                    .filter(p -> !p.getFileName().toString().endsWith(".tmp"))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no entries file in " + dir));
        }
    }

    private static long offsetOf(Path file, String needle) throws IOException {
        byte[] all = Files.readAllBytes(file);
        byte[] n = needle.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i + n.length <= all.length; i++) {
            if (Arrays.equals(all, i, i + n.length, n, 0, n.length)) {
                return i;
            }
        }
        throw new AssertionError(needle + " not found in " + file);
    }

    /** Replaces every occurrence (same length); returns the first offset. */
    private static long replaceAll(Path file, String from, String to) throws IOException {
        byte[] all = Files.readAllBytes(file);
        byte[] f = from.getBytes(StandardCharsets.UTF_8);
        byte[] t = to.getBytes(StandardCharsets.UTF_8);
        long first = -1;
        for (int i = 0; i + f.length <= all.length; i++) {
            if (Arrays.equals(all, i, i + f.length, f, 0, f.length)) {
                System.arraycopy(t, 0, all, i, t.length);
                first = first < 0 ? i : first;
            }
        }
        assertThat(first).as("%s in %s", from, file).isNotNegative();
        Files.write(file, all);
        return first;
    }

    private static void flip(Path file, long offset, int n) {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            byte[] b = new byte[n];
            f.seek(offset);
            f.readFully(b);
            for (int i = 0; i < n; i++) {
                b[i] ^= (byte) 0xff;
            }
            f.seek(offset);
            f.write(b);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

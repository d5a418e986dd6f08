package dev.baton.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.client.wire.KvEntry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Snapshots are written in the background (BatonRaft, BackgroundSnapshot) while writes go on: the
 * commands applied during a snapshot must be in the state and in the log after it, on every path a
 * node reads a snapshot back: a crash of the ACTIVE, an empty node caught up by the leader's
 * snapshot, and a full-cluster restart.
 */
@ExtendWith(NodeLogsOnFailure.class)
class SnapshotIT {

    private static final Pattern BACKGROUND = Pattern.compile("snapshot at index (\\d+) took [0-9.]+ ms: [0-9.]+ ms on the Raft thread");
    private static final int WRITERS = 4;
    private static final int WRITES_EACH = 150;

    private TestCluster cluster;

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void writesDuringBackgroundSnapshotsSurviveACrashACatchUpBySnapshotAndARestart() throws Exception {
        cluster = TestCluster.start("SnapshotIT", 3, "--snapshot-log-bytes", "65536");
        TestCluster.Active active = cluster.awaitSettled();
        Map<String, String> acked = writeConcurrently(active);
        assertThat(acked).as("acknowledged writes").hasSizeGreaterThan(WRITERS * WRITES_EACH / 2);
        for (NodeProcess n : cluster.nodes()) {
            assertThat(backgroundSnapshots(n)).as("%s wrote snapshots in the background while the writes went on", n.id())
                    .hasSizeGreaterThanOrEqualTo(2);
        }

        active.node().kill9();
        TestCluster.Active next = cluster.awaitActive(active.term());
        assertAllOn(next.node(), acked, false);

        // the crashed node comes back empty: the leader's log starts after its snapshot, so it sends the snapshot
        deleteTree(active.node().dataDir());
        active.node().start();
        cluster.awaitCaughtUpStandby(active.node(), next);
        assertAllOn(active.node(), acked, true);

        cluster.terminateAll();
        cluster.startAll();
        TestCluster.Active afterRestart = cluster.awaitSettled();
        assertAllOn(afterRestart.node(), acked, false);
    }

    /** WRITERS threads write distinct keys of 1 KB to the ACTIVE; the acknowledged ones, by key. */
    private Map<String, String> writeConcurrently(TestCluster.Active active) throws Exception {
        Map<String, String> acked = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                int writer = w;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < WRITES_EACH; i++) {
                        String key = "w" + writer + "/" + i;
                        String value = key + ":" + "v".repeat(1000);
                        Http.Response r = cluster.http().put(active.url() + Http.kvPath(key), value);
                        if (r.status() == 200) {
                            acked.put(key, value);
                        }
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        return acked;
    }

    private void assertAllOn(NodeProcess node, Map<String, String> acked, boolean stale) {
        for (Map.Entry<String, String> e : acked.entrySet()) {
            Http.Response r = cluster.http().get(node.url() + Http.kvPath(e.getKey()) + (stale ? "?stale=true" : ""));
            assertThat(r.status()).as("%s on %s: %s", e.getKey(), node.id(), r).isEqualTo(200);
            assertThat(r.json(KvEntry.class).value()).as("%s on %s", e.getKey(), node.id()).isEqualTo(e.getValue());
        }
    }

    private static List<Long> backgroundSnapshots(NodeProcess node) {
        List<Long> out = new ArrayList<>();
        Matcher m = BACKGROUND.matcher(node.log());
        while (m.find()) {
            out.add(Long.parseLong(m.group(1)));
        }
        return out;
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

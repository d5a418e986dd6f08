package dev.baton.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.client.wire.KvEntry;
import dev.baton.client.wire.LeadershipHistory;
import dev.baton.client.wire.NodeStatus;
import dev.baton.client.wire.WriteResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Backup, restore and disaster recovery on real node JVMs: {@code baton snapshot save} through the
 * ACTIVE, {@code baton snapshot restore} into the data dirs of a new cluster that serves the same
 * keys, revisions, sessions and leadership history under a new cluster id; and {@code
 * --force-new-cluster} on the last survivor of a cluster whose majority is gone for good.
 */
@ExtendWith(NodeLogsOnFailure.class)
class BackupRestoreIT {

    private static final Duration CLI_TIMEOUT = Duration.ofSeconds(30);

    @Test
    void aSavedSnapshotRestoresIntoANewClusterWithTheSameStateAndHistory() throws Exception {
        try (TestCluster old = TestCluster.start("BackupRestoreIT-old", 3)) {
            TestCluster.Active a0 = old.awaitActive();
            Map<String, KvEntry> written = new LinkedHashMap<>();
            for (int round = 1; round <= 3; round++) { // several revisions per key
                for (int k = 1; k <= 4; k++) {
                    written.put("b/" + k, put(old, a0, "b/" + k, "v" + round + "-" + k));
                }
            }
            String session = old.http().openSession(a0.url());
            Http.Response inSession = old.http().putInSession(a0.url() + Http.kvPath("b/session"), "once", session, 1, 1);
            assertThat(inSession.status()).as("%s", inSession).isEqualTo(200);
            long sessionRevision = inSession.json(WriteResult.class).revision();
            NodeProcess target = old.others(a0.node()).get(0);
            Http.Response t = old.http().method("POST", a0.url() + "/v1/admin/transfer?to=" + target.id(), new byte[0]);
            assertThat(t.status()).as("%s", t).isEqualTo(200);
            TestCluster.Active a1 = old.awaitActive(a0.term());
            written.put("b/after-switchover", put(old, a1, "b/after-switchover", "x"));
            List<String> oldTerms = terms(old.http().get(a1.url() + "/v1/history").json(LeadershipHistory.class));
            assertThat(oldTerms).as("the switchover made a second term").hasSizeGreaterThanOrEqualTo(2);

            Path file = old.dir().resolve("backup.snap");
            BatonJar.RunResult save = BatonCli.against(old).run("snapshot", "save", file.toString());
            assertThat(save.exitCode()).as(save.output()).isZero();
            assertThat(save.output()).contains("saved " + file).contains("index ").contains("term " + a1.term())
                    .contains("crc32c ").contains("cluster id default");
            assertThat(file).isRegularFile();

            Path corrupt = old.dir().resolve("corrupt.snap");
            byte[] bytes = Files.readAllBytes(file);
            bytes[bytes.length / 2] ^= 0x40;
            Files.write(corrupt, bytes);

            try (TestCluster restored = TestCluster.create("BackupRestoreIT-restored", 3)) {
                BatonCli cli = BatonCli.in(restored.dir().resolve("cli"), CLI_TIMEOUT);
                NodeProcess first = restored.nodes().get(0);
                BatonJar.RunResult refused = cli.run("snapshot", "restore", corrupt.toString(), "--data-dir",
                        first.dataDir().toString(), "--id", first.id(), "--members", first.membersSpec());
                assertThat(refused.exitCode()).as(refused.output()).isEqualTo(1);
                assertThat(refused.output()).contains(corrupt.toString()).contains("checksum mismatch").contains("nothing written");
                assertThat(first.dataDir()).doesNotExist();
                for (NodeProcess n : restored.nodes()) {
                    BatonJar.RunResult r = cli.run("snapshot", "restore", file.toString(), "--data-dir", n.dataDir().toString(),
                            "--id", n.id(), "--members", n.membersSpec());
                    assertThat(r.exitCode()).as(r.output()).isZero();
                    assertThat(r.output()).contains("restored ").contains("new cluster id ");
                }
                restored.startAll();
                TestCluster.Active b = restored.awaitSettled();

                NodeStatus status = restored.statusOf(b.node());
                assertThat(status.clusterId()).isNotNull().isNotEqualTo("default");
                assertThat(old.statusOf(a1.node()).clusterId()).isEqualTo("default");
                for (NodeProcess n : restored.nodes()) {
                    assertThat(restored.statusOf(n).clusterId()).as(n.id()).isEqualTo(status.clusterId());
                }
                for (Map.Entry<String, KvEntry> e : written.entrySet()) {
                    Http.Response r = restored.http().get(b.url() + Http.kvPath(e.getKey()));
                    assertThat(r.status()).as("%s", r).isEqualTo(200);
                    assertThat(r.json(KvEntry.class)).as(e.getKey()).isEqualTo(e.getValue());
                }
                // the session came along: its write 1, sent again, is answered as before, not applied twice
                Http.Response again = restored.http().putInSession(b.url() + Http.kvPath("b/session"), "once", session, 1, 1);
                assertThat(again.status()).as("%s", again).isEqualTo(200);
                assertThat(again.json(WriteResult.class).revision()).isEqualTo(sessionRevision);
                List<String> newTerms = terms(restored.http().get(b.url() + "/v1/history").json(LeadershipHistory.class));
                assertThat(newTerms).as("history of the restored cluster").startsWith(oldTerms.toArray(String[]::new));
                assertThat(b.term()).isGreaterThan(a1.term());
            }
        }
    }

    @Test
    void aSurvivorForcedIntoANewClusterServesEveryAcknowledgedWriteAndKeepsOldMembersOut() throws Exception {
        try (TestCluster cluster = TestCluster.start("BackupRestoreIT-force", 3)) {
            TestCluster.Active active = cluster.awaitActive();
            Map<String, KvEntry> acknowledged = new LinkedHashMap<>();
            for (int k = 1; k <= 10; k++) {
                acknowledged.put("f/" + k, put(cluster, active, "f/" + k, "value-" + k));
            }
            NodeProcess survivor = cluster.others(active.node()).get(0);
            NodeProcess lost = cluster.others(active.node()).get(1);
            cluster.awaitCaughtUpStandby(survivor, active);
            active.node().kill9();
            lost.kill9();
            survivor.terminate();

            NodeProcess alone = new NodeProcess(survivor.id(), survivor.host(), survivor.raftPort(), TestCluster.HTTP_PORT,
                    survivor.memberSpec(), survivor.dir(), List.of());
            try {
                alone.start(List.of("--force-new-cluster"));
                TestCluster.Active forced = awaitActive(cluster, alone);
                assertThat(alone.log()).contains("--force-new-cluster").contains("cannot rejoin");
                NodeStatus s = cluster.statusOf(alone);
                assertThat(s.clusterId()).isNotEqualTo("default");
                assertThat(s.members()).extracting(m -> m.id()).containsExactly(alone.id());
                for (Map.Entry<String, KvEntry> e : acknowledged.entrySet()) {
                    Http.Response r = cluster.http().get(forced.url() + Http.kvPath(e.getKey()));
                    assertThat(r.status()).as("%s", r).isEqualTo(200);
                    assertThat(r.json(KvEntry.class)).as(e.getKey()).isEqualTo(e.getValue());
                }
                KvEntry fresh = put(cluster, forced, "f/after", "new");
                assertThat(fresh.revision()).isGreaterThan(acknowledged.get("f/10").revision());

                // the old ACTIVE, back with its old data dir and members, stays out: another cluster id
                active.node().start();
                long deadline = System.nanoTime() + Duration.ofSeconds(4).toNanos();
                boolean answered = false;
                while (System.nanoTime() < deadline) {
                    var old = cluster.tryStatus(active.node());
                    if (old.isPresent()) {
                        answered = true;
                        assertThat(old.get().role()).as("old member %s", active.id()).isNotEqualTo("ACTIVE");
                        assertThat(old.get().leader()).as("leader seen by the old member").isNull();
                        assertThat(old.get().clusterId()).isEqualTo("default").isNotEqualTo(s.clusterId());
                    }
                    NodeStatus now = cluster.statusOf(alone);
                    assertThat(now.role()).isEqualTo("ACTIVE");
                    assertThat(now.members()).extracting(m -> m.id()).containsExactly(alone.id());
                    Thread.sleep(200);
                }
                assertThat(answered).as("the old member answered its status").isTrue();
            } finally {
                alone.terminate();
            }
        }
    }

    /** A PUT through {@code active}, answered 200; the entry as then stored. */
    private static KvEntry put(TestCluster cluster, TestCluster.Active active, String key, String value) {
        Http.Response r = cluster.http().put(active.url() + Http.kvPath(key), value);
        assertThat(r.status()).as("%s", r).isEqualTo(200);
        return new KvEntry(key, value, r.json(WriteResult.class).revision());
    }

    /** Each term of a history as "term:leader". */
    private static List<String> terms(LeadershipHistory h) {
        return h.terms().stream().map(t -> t.term() + ":" + t.leader()).collect(Collectors.toList());
    }

    /** Waits until {@code node}, alone in its cluster, reports ACTIVE. */
    private static TestCluster.Active awaitActive(TestCluster cluster, NodeProcess node) throws InterruptedException {
        long deadline = System.nanoTime() + TestCluster.WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            var s = cluster.tryStatus(node);
            if (s.isPresent() && s.get().role().equals("ACTIVE")) {
                return new TestCluster.Active(node, s.get().term());
            }
            Thread.sleep(100);
        }
        throw new AssertionError(node.id() + " did not become ACTIVE alone within " + TestCluster.WAIT + "; log:\n"
                + node.logTail(40));
    }
}

package dev.baton.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.client.wire.KvEntry;
import dev.baton.client.wire.LeadershipHistory;
import dev.baton.client.wire.MemberInfo;
import dev.baton.client.wire.NodeStatus;
import dev.baton.client.wire.WriteResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Backup, restore and disaster recovery on real node JVMs. One source cluster (keys of several
 * revisions, a session, a switchover so the history has two terms) serves both scenarios, to keep
 * the class short on a 2-core machine: first {@code baton snapshot save} through the ACTIVE and
 * {@code baton snapshot restore} into the data dirs of a new cluster, which serves the same keys,
 * revisions, sessions and leadership history under a new cluster id; then the source loses its
 * majority for good, its last member is started with {@code --force-new-cluster}, and it grows
 * back to three with {@code members add} and two empty nodes started with {@code --join}.
 */
@ExtendWith(NodeLogsOnFailure.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BackupRestoreIT {

    private static final Duration CLI_TIMEOUT = Duration.ofSeconds(30);

    private TestCluster source;
    private TestCluster.Active sourceActive;
    private final Map<String, KvEntry> acknowledged = new LinkedHashMap<>();
    private String session;
    private long sessionRevision;
    private List<String> sourceTerms;

    @BeforeAll
    void sourceClusterWithHistory() {
        source = TestCluster.start("BackupRestoreIT-source", 3);
        TestCluster.Active a0 = source.awaitActive();
        for (int round = 1; round <= 3; round++) { // several revisions per key
            for (int k = 1; k <= 4; k++) {
                put(source, a0, "b/" + k, "v" + round + "-" + k);
            }
        }
        session = source.http().openSession(a0.url());
        Http.Response inSession = source.http().putInSession(a0.url() + Http.kvPath("b/session"), "once", session, 1, 1);
        assertThat(inSession.status()).as("%s", inSession).isEqualTo(200);
        sessionRevision = inSession.json(WriteResult.class).revision();
        acknowledged.put("b/session", new KvEntry("b/session", "once", sessionRevision));
        NodeProcess target = source.others(a0.node()).get(0);
        Http.Response t = source.http().method("POST", a0.url() + "/v1/admin/transfer?to=" + target.id(), new byte[0]);
        assertThat(t.status()).as("%s", t).isEqualTo(200);
        sourceActive = source.awaitActive(a0.term());
        put(source, sourceActive, "b/after-switchover", "x");
        sourceTerms = terms(source.http().get(sourceActive.url() + "/v1/history").json(LeadershipHistory.class));
        assertThat(sourceTerms).as("the switchover made a second term").hasSizeGreaterThanOrEqualTo(2);
    }

    @AfterAll
    void stopSource() {
        if (source != null) {
            source.close();
        }
    }

    @Test
    @Order(1)
    void aSavedSnapshotRestoresIntoANewClusterWithTheSameStateAndHistory() throws Exception {
        Path file = source.dir().resolve("backup.snap");
        BatonJar.RunResult save = BatonCli.against(source).run("snapshot", "save", file.toString());
        assertThat(save.exitCode()).as(save.output()).isZero();
        assertThat(save.output()).contains("saved " + file).contains("term " + sourceActive.term()).contains("crc32c ")
                .contains("cluster id default");
        Path corrupt = source.dir().resolve("corrupt.snap");
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 0x40;
        Files.write(corrupt, bytes);

        try (TestCluster restored = TestCluster.create("BackupRestoreIT-restored", 3)) {
            BatonCli cli = BatonCli.in(restored.dir().resolve("cli"), CLI_TIMEOUT);
            NodeProcess first = restored.nodes().get(0);
            Path refusedDir = restored.dir().resolve("refused");
            // the four restores at once: each is a JVM start, and they touch different dirs
            List<CompletableFuture<BatonJar.RunResult>> runs = new ArrayList<>();
            runs.add(restore(cli, corrupt, refusedDir, first));
            for (NodeProcess n : restored.nodes()) {
                runs.add(restore(cli, file, n.dataDir(), n));
            }
            BatonJar.RunResult refused = runs.get(0).join();
            assertThat(refused.exitCode()).as(refused.output()).isEqualTo(1);
            assertThat(refused.output()).contains(corrupt.toString()).contains("checksum mismatch").contains("nothing written");
            assertThat(refusedDir).doesNotExist();
            for (CompletableFuture<BatonJar.RunResult> run : runs.subList(1, runs.size())) {
                BatonJar.RunResult r = run.join();
                assertThat(r.exitCode()).as(r.output()).isZero();
                assertThat(r.output()).contains("restored ").contains("new cluster id ");
            }

            restored.startAll();
            TestCluster.Active b = restored.awaitSettled();
            NodeStatus status = restored.statusOf(b.node());
            assertThat(status.clusterId()).isNotNull().isNotEqualTo("default");
            assertThat(source.statusOf(sourceActive.node()).clusterId()).isEqualTo("default");
            for (NodeProcess n : restored.nodes()) {
                assertThat(restored.statusOf(n).clusterId()).as(n.id()).isEqualTo(status.clusterId());
            }
            assertSameEntries(restored, b);
            // the session came along: its write 1, sent again, is answered as before, not applied twice
            Http.Response again = restored.http().putInSession(b.url() + Http.kvPath("b/session"), "once", session, 1, 1);
            assertThat(again.status()).as("%s", again).isEqualTo(200);
            assertThat(again.json(WriteResult.class).revision()).isEqualTo(sessionRevision);
            List<String> restoredTerms = terms(restored.http().get(b.url() + "/v1/history").json(LeadershipHistory.class));
            assertThat(restoredTerms).as("history of the restored cluster").startsWith(sourceTerms.toArray(String[]::new));
            assertThat(b.term()).isGreaterThan(sourceActive.term());
        }
    }

    @Test
    @Order(2)
    void aSurvivorForcedIntoANewClusterServesEveryAcknowledgedWriteAndKeepsOldMembersOut() throws Exception {
        TestCluster.Active active = source.awaitActive();
        NodeProcess survivor = source.others(active.node()).get(0);
        source.awaitCaughtUpStandby(survivor, active); // it holds every acknowledged write
        active.node().kill9();
        source.others(active.node()).get(1).kill9();
        survivor.kill9();

        NodeProcess alone = new NodeProcess(survivor.id(), survivor.host(), survivor.raftPort(), TestCluster.HTTP_PORT,
                survivor.memberSpec(), survivor.dir(), List.of());
        NodeProcess old = active.node();
        try {
            alone.start(List.of("--force-new-cluster"));
            // the old ACTIVE comes back at the same time, with its old data dir and members: it must stay out
            old.start();
            TestCluster.Active forced = awaitActiveAlone(alone);
            assertThat(alone.log()).contains("--force-new-cluster").contains("cannot rejoin");
            NodeStatus s = source.statusOf(alone);
            assertThat(s.clusterId()).isNotEqualTo("default");
            assertThat(s.members()).extracting(MemberInfo::id).containsExactly(alone.id());
            assertSameEntries(source, forced);
            KvEntry fresh = put(source, forced, "f/after", "new");
            assertThat(fresh.revision()).isGreaterThan(sessionRevision);

            NodeStatus first = awaitStatus(old);
            assertThat(first.clusterId()).isEqualTo("default");
            for (int i = 0; i < 15; i++) { // 3 s after it answers: several election timeouts; it is of another cluster id
                Optional<NodeStatus> o = source.tryStatus(old);
                assertThat(o).as("status of the old member %s", old.id()).isPresent();
                assertThat(o.get().role()).as("old member %s", old.id()).isNotEqualTo("ACTIVE");
                assertThat(o.get().leader()).as("leader the old member knows").isNull();
                NodeStatus now = source.statusOf(alone);
                assertThat(now.role()).isEqualTo("ACTIVE");
                assertThat(now.members()).extracting(MemberInfo::id).containsExactly(alone.id());
                assertThat(now.members().get(0).connected()).isTrue();
                Thread.sleep(200);
            }

            // it grows back to three: the two lost machines come back empty, as new members, with --join
            old.terminate();
            NodeProcess third = source.others(active.node()).stream().filter(n -> n != survivor).findFirst().orElseThrow();
            for (NodeProcess n : List.of(old, third)) {
                n.wipeData();
                Http.Response add = source.http().method("POST", forced.url() + "/v1/admin/members?spec=" + n.memberSpec(), new byte[0]);
                assertThat(add.status()).as("%s", add).isEqualTo(201);
                n.startWith(List.of("--join", forced.url()));
                awaitVoter(forced, n.id());
            }
            for (NodeProcess n : List.of(old, third)) {
                NodeStatus joined = awaitStatus(n);
                assertThat(joined.clusterId()).as("cluster id taken over by %s", n.id()).isEqualTo(s.clusterId());
                for (Map.Entry<String, KvEntry> e : acknowledged.entrySet()) { // its own replica, caught up
                    awaitStale(n, e.getValue());
                }
            }
            assertThat(source.statusOf(alone).role()).as("adding members moved no leadership").isEqualTo("ACTIVE");
        } finally {
            alone.terminate();
        }
    }

    private void awaitVoter(TestCluster.Active at, String id) throws InterruptedException {
        long deadline = System.nanoTime() + TestCluster.WAIT.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            com.fasterxml.jackson.databind.JsonNode table = source.http().get(at.url() + "/v1/admin/members").tree();
            last = table.toString();
            for (com.fasterxml.jackson.databind.JsonNode m : table.get("members")) {
                if (m.get("id").asText().equals(id) && m.get("status").asText().equals("voter")) {
                    return;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError(id + " is not a voter within " + TestCluster.WAIT + ": " + last);
    }

    private void awaitStale(NodeProcess n, KvEntry expected) throws InterruptedException {
        long deadline = System.nanoTime() + TestCluster.WAIT.toNanos();
        Http.Response r = null;
        while (System.nanoTime() < deadline) {
            r = source.http().get(n.url() + Http.kvPath(expected.key()) + "?stale=true");
            if (r.status() == 200 && r.json(KvEntry.class).equals(expected)) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError(n.id() + " does not hold " + expected + ": " + r);
    }


    private void assertSameEntries(TestCluster cluster, TestCluster.Active at) {
        for (Map.Entry<String, KvEntry> e : acknowledged.entrySet()) {
            Http.Response r = cluster.http().get(at.url() + Http.kvPath(e.getKey()));
            assertThat(r.status()).as("%s", r).isEqualTo(200);
            assertThat(r.json(KvEntry.class)).as(e.getKey()).isEqualTo(e.getValue());
        }
    }

    /** A PUT through {@code active}, answered 200, remembered as acknowledged; the entry as then stored. */
    private KvEntry put(TestCluster cluster, TestCluster.Active active, String key, String value) {
        Http.Response r = cluster.http().put(active.url() + Http.kvPath(key), value);
        assertThat(r.status()).as("%s", r).isEqualTo(200);
        KvEntry e = new KvEntry(key, value, r.json(WriteResult.class).revision());
        acknowledged.put(key, e);
        return e;
    }

    private static CompletableFuture<BatonJar.RunResult> restore(BatonCli cli, Path file, Path dataDir, NodeProcess n) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return cli.run("snapshot", "restore", file.toString(), "--data-dir", dataDir.toString(), "--id", n.id(),
                        "--members", n.membersSpec());
            } catch (Exception e) {
                throw new IllegalStateException("running baton snapshot restore failed", e);
            }
        });
    }

    /** Each term of a history as "term:leader". */
    private static List<String> terms(LeadershipHistory h) {
        return h.terms().stream().map(t -> t.term() + ":" + t.leader()).toList();
    }

    private NodeStatus awaitStatus(NodeProcess node) throws InterruptedException {
        long deadline = System.nanoTime() + TestCluster.WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<NodeStatus> s = source.tryStatus(node);
            if (s.isPresent()) {
                return s.get();
            }
            Thread.sleep(100);
        }
        throw new AssertionError(node.id() + " did not answer its status within " + TestCluster.WAIT + "; log:\n"
                + node.logTail(40));
    }

    /** Waits until {@code node}, alone in its cluster, reports ACTIVE. */
    private TestCluster.Active awaitActiveAlone(NodeProcess node) throws InterruptedException {
        long deadline = System.nanoTime() + TestCluster.WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<NodeStatus> s = source.tryStatus(node);
            if (s.isPresent() && s.get().role().equals("ACTIVE")) {
                return new TestCluster.Active(node, s.get().term());
            }
            Thread.sleep(100);
        }
        throw new AssertionError(node.id() + " did not become ACTIVE alone within " + TestCluster.WAIT + "; log:\n"
                + node.logTail(40));
    }
}

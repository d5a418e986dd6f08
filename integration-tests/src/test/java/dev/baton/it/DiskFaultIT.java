package dev.baton.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.client.wire.KvEntry;
import dev.baton.client.wire.NodeStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Real disk faults on node processes (root: tmpfs mounts and chattr; skipped with the reason
 * elsewhere). A node that cannot persist says so (role UNHEALTHY with the reason in {@code
 * /v1/status}, {@code /health/standby} and {@code /health/live} 503, stale reads flagged as
 * behind), takes no part in elections, recovers by itself without a restart once its disk takes
 * writes again, and never turns one crash of the ACTIVE into an outage. Each case is a finding of
 * issue #11 that failed on the code before: a full follower answered STANDBY and 200 while stuck,
 * and after a crash of the ACTIVE the cluster had no ACTIVE for 47 s.
 */
@ExtendWith(NodeLogsOnFailure.class)
class DiskFaultIT {

    /** A failover after one crash; an ordinary one takes about a second, the outage this replaces took 47 s. */
    private static final Duration FAILOVER_BOUND = Duration.ofSeconds(20);
    private static final String BIG = "x".repeat(100_000);
    private static final Predicate<NodeStatus> UNHEALTHY = s -> "UNHEALTHY".equals(s.role());

    private TestCluster cluster;
    private DiskFaults disks;

    @BeforeEach
    void needRoot() {
        String reason = DiskFaults.unavailableReason();
        if (reason != null) {
            System.out.println("[it] DiskFaultIT skipped: " + reason);
        }
        Assumptions.assumeTrue(reason == null, () -> "DiskFaultIT skipped: " + reason);
        disks = new DiskFaults();
    }

    @AfterEach
    void undo() {
        try {
            if (cluster != null) {
                cluster.close(); // the processes first: a mount in use cannot be unmounted cleanly
            }
        } finally {
            if (disks != null) {
                disks.close();
            }
        }
    }

    private static String name(TestInfo test) {
        return "DiskFaultIT-" + test.getTestMethod().orElseThrow().getName();
    }

    @Test
    void aFollowerWhoseDiskFillsSaysSoCatchesUpByItselfAndTheNextCrashIsAnOrdinaryFailover(TestInfo test) throws Exception {
        cluster = TestCluster.create(name(test), 3);
        NodeProcess sick = cluster.node("n3");
        disks.mountTmpfs(sick.dataDir(), 2048);
        cluster.startAll();
        TestCluster.Active active = activeOtherThan(sick, cluster.awaitSettled());
        long pid = sick.pid();

        Map<String, String> acked = new LinkedHashMap<>();
        fillUntil(active, sick, acked, UNHEALTHY);
        NodeStatus st = cluster.statusOf(sick);
        assertThat(st.health().state()).isEqualTo("unhealthy");
        assertThat(st.health().reason()).contains("log: appending entries").contains("No space left on device");
        assertThat(cluster.http().get(sick.url() + "/health/standby").status()).isEqualTo(503);
        Http.Response live = cluster.http().get(sick.url() + "/health/live");
        assertThat(live.status()).isEqualTo(503);
        assertThat(live.text()).contains("No space left on device");

        // more writes still commit (leader + the healthy follower); the sick node's stale answers say it is behind
        write(active, "after-full", "fresh", acked);
        Http.Response stale = cluster.http().get(sick.url() + Http.kvPath("after-full") + "?stale=true");
        assertThat(stale.status()).as("%s", stale).isEqualTo(404);
        long applied = Long.parseLong(stale.header("Baton-Applied-Index").orElseThrow());
        long known = Long.parseLong(stale.header("Baton-Leader-Commit-Index").orElseThrow());
        assertThat(known).as("the leader's commit index the sick node heard").isGreaterThan(applied);
        assertThat(stale.header("Baton-Unhealthy")).isPresent();

        // the other nodes show it too, and so does `baton status`
        awaitStatus(active.node(), s -> s.members().stream()
                .anyMatch(m -> m.id().equals(sick.id()) && m.fault() != null && m.fault().contains("No space left")),
                "the ACTIVE lists " + sick.id() + "'s fault");
        BatonJar.RunResult cli = BatonCli.against(cluster).run("status");
        assertThat(cli.output()).contains(sick.id() + " is UNHEALTHY: log: appending entries");
        // a switchover to it is refused with the reason (it does not vote, so it could not be elected)
        Http.Response t = cluster.http().method("POST", active.url() + "/v1/admin/transfer?to=" + sick.id(), new byte[0]);
        assertThat(t.status()).as("%s", t).isEqualTo(409);
        assertThat(t.text()).contains(sick.id() + " cannot persist");

        // room again: it catches up by itself, same process
        disks.resize(sick.dataDir(), 512 * 1024);
        cluster.awaitCaughtUpStandby(sick, active);
        assertThat(sick.pid()).as("recovered without a restart").isEqualTo(pid);
        assertThat(cluster.http().get(sick.url() + "/health/standby").status()).isEqualTo(200);
        assertThat(cluster.statusOf(sick).health().ok()).isTrue();
        assertThat(sick.log()).contains("storage recovered: log writes work again");

        // and the next crash of the ACTIVE is an ordinary failover with every acknowledged write
        active.node().kill9();
        TestCluster.Active next = awaitActiveWithin(active.term(), FAILOVER_BOUND);
        assertAllPresent(next, acked);
    }

    @Test
    void anImmutableLogFileMakesTheFollowerUnhealthyWithoutFloodingItsLogAndItRecoversWhenTheFlagGoes(TestInfo test)
            throws Exception {
        Map<String, String> acked = new LinkedHashMap<>();
        TestCluster.Active active = startWithACaughtUpFollower(test, acked);
        NodeProcess sick = cluster.others(active.node()).get(0);
        Path entries = sick.raftFile("entries.crc");
        long pid = sick.pid();

        disks.makeImmutable(entries);
        long logBefore = Files.size(sick.logFile());
        for (int i = 0; i < 100; i++) { // each one a failed append on the sick node, and resends
            write(active, "k" + i, "v" + i, acked);
        }
        NodeStatus st = awaitStatus(sick, UNHEALTHY, sick.id() + " UNHEALTHY");
        assertThat(st.health().reason()).contains("entries.crc").contains("Operation not permitted");
        assertThat(cluster.http().get(sick.url() + "/health/standby").status()).isEqualTo(503);
        long logged = Files.size(sick.logFile()) - logBefore;
        // before: a stack trace per failed append (~3 KB each); now the first failure with its trace, repeats at most once a minute
        assertThat(logged).as("bytes logged by %s during 100 failed appends", sick.id()).isLessThan(32 * 1024);

        disks.makeMutable(entries);
        cluster.awaitCaughtUpStandby(sick, active);
        assertThat(sick.pid()).isEqualTo(pid);
        assertThat(cluster.statusOf(sick).health().ok()).isTrue();
        for (Map.Entry<String, String> e : acked.entrySet()) {
            Http.Response r = cluster.http().get(sick.url() + Http.kvPath(e.getKey()) + "?stale=true");
            assertThat(r.status()).as("%s", r).isEqualTo(200);
            assertThat(r.json(KvEntry.class).value()).isEqualTo(e.getValue());
        }
    }

    @Test
    void anImmutableMetadataFileMakesTheFollowerUnhealthyAndItHearsItsLeaderAgainWhenTheFlagGoes(TestInfo test)
            throws Exception {
        // with jgroups-raft's memory-mapped metadata.raft a write to the immutable file raised SIGBUS,
        // escaped with a JGroups lock held, and the node never heard from its leader again
        Map<String, String> acked = new LinkedHashMap<>();
        TestCluster.Active active = startWithACaughtUpFollower(test, acked);
        NodeProcess sick = cluster.others(active.node()).get(0);
        Path metadata = sick.raftFile("metadata.crc");

        disks.makeImmutable(metadata);
        for (int i = 0; i < 20; i++) { // each commit writes the commit index
            write(active, "m" + i, "v" + i, acked);
        }
        NodeStatus st = awaitStatus(sick, UNHEALTHY, sick.id() + " UNHEALTHY");
        assertThat(st.health().reason()).startsWith("metadata: ").contains("Operation not permitted");

        disks.makeMutable(metadata);
        cluster.awaitCaughtUpStandby(sick, active);
        write(active, "after", "v1", acked);
        cluster.awaitCaughtUpStandby(sick, active); // it hears its leader: not deaf
        assertThat(sick.log()).doesNotContain("InternalError");

        active.node().kill9();
        TestCluster.Active next = awaitActiveWithin(active.term(), FAILOVER_BOUND);
        assertAllPresent(next, acked);
    }

    @Test
    void aWriteIsNotAcknowledgedWhenTheOnlyOtherLiveNodeCannotStoreIt(TestInfo test) throws Exception {
        // before, the full follower answered OK for entries it had not stored, and such a PUT got 200
        // while the write was on the leader's disk only
        cluster = TestCluster.create(name(test), 3);
        NodeProcess sick = cluster.node("n3");
        disks.mountTmpfs(sick.dataDir(), 2048);
        cluster.startAll();
        TestCluster.Active active = activeOtherThan(sick, cluster.awaitSettled());
        NodeProcess down = cluster.others(active.node()).stream().filter(n -> !n.equals(sick)).findFirst().orElseThrow();
        down.terminate();

        Map<String, String> acked = new LinkedHashMap<>();
        int refused = 0;
        for (int i = 0; i < 40 && refused < 3; i++) {
            Http.Response r = cluster.http().put(active.url() + Http.kvPath("big/" + i), BIG + i);
            if (r.status() == 200) {
                acked.put("big/" + i, BIG + i);
            } else {
                refused++;
            }
        }
        awaitStatus(sick, UNHEALTHY, sick.id() + " UNHEALTHY");
        Http.Response r = cluster.http().put(active.url() + Http.kvPath("while-full"), "x");
        assertThat(r.status()).as("a write that no second node can store: %s", r).isNotEqualTo(200);

        // every write that was acknowledged is on the sick node's disk: it survives the leader's crash
        disks.resize(sick.dataDir(), 512 * 1024);
        down.start();
        TestCluster.Active back = cluster.awaitSettled();
        back.node().kill9();
        TestCluster.Active next = awaitActiveWithin(back.term(), FAILOVER_BOUND);
        assertAllPresent(next, acked);
    }

    @Test
    void anActiveWhoseDiskFillsStepsDownAndAHealthyFollowerTakesOverWithEveryAcknowledgedWrite(TestInfo test)
            throws Exception {
        Path hooks = TestCluster.itDir().resolve(name(test) + "-hooks.txt");
        Files.deleteIfExists(hooks);
        cluster = TestCluster.create(name(test), 3,
                "--on-fenced", "echo \"fenced $BATON_NODE_ID $BATON_ROLE\" >> " + hooks,
                "--on-unhealthy", "echo \"unhealthy $BATON_NODE_ID $BATON_REASON\" >> " + hooks);
        NodeProcess sick = cluster.node("n1");
        disks.mountTmpfs(sick.dataDir(), 2048);
        cluster.startAll();
        TestCluster.Active first = activeOn(sick, cluster.awaitSettled());

        Map<String, String> acked = new LinkedHashMap<>();
        for (int i = 0; i < 60 && cluster.tryStatus(sick).filter(UNHEALTHY).isEmpty(); i++) {
            Http.Response r = cluster.http().put(first.url() + Http.kvPath("big/" + i), BIG + i);
            if (r.status() == 200) {
                acked.put("big/" + i, BIG + i);
            }
        }
        awaitStatus(sick, UNHEALTHY, sick.id() + " UNHEALTHY");
        TestCluster.Active next = awaitActiveWithin(first.term(), FAILOVER_BOUND);
        assertThat(next.id()).isNotEqualTo(sick.id());
        assertThat(sick.log()).contains("stepping down and asking for an election");
        assertAllPresent(next, acked);
        // its on-fenced hook ran (the service it guards is stopped), then on-unhealthy with the reason
        awaitStatus(sick, s -> s.lastHook() != null && "on-unhealthy".equals(s.lastHook().event()), "the on-unhealthy hook of " + sick.id());
        List<String> ran = Files.readAllLines(hooks).stream().filter(l -> l.contains(" " + sick.id() + " ")).toList();
        assertThat(ran).hasSizeGreaterThanOrEqualTo(2);
        assertThat(ran.get(ran.size() - 2)).isEqualTo("fenced " + sick.id() + " UNHEALTHY");
        assertThat(ran.get(ran.size() - 1)).startsWith("unhealthy " + sick.id() + " log: appending entries").contains("No space left");

        disks.resize(sick.dataDir(), 512 * 1024);
        cluster.awaitCaughtUpStandby(sick, next);
        assertThat(cluster.statusOf(sick).health().ok()).isTrue();
    }

    @Test
    // 5-node variant of the 3-node tests above, on demand: with the membership and backup tests the
    // default suite passed 20 minutes on a 2-core machine (20:57); scripts/chaos.sh short runs it
    @org.junit.jupiter.api.condition.EnabledIfSystemProperty(named = "chaos.full", matches = "true",
            disabledReason = "5-node variant, on demand: scripts/chaos.sh short (or -Dchaos.full=true)")
    void fiveNodesWithOneFullFollowerLoseTheirActiveToAnOrdinaryFailover(TestInfo test) throws Exception {
        cluster = TestCluster.create(name(test), 5);
        NodeProcess sick = cluster.node("n5");
        disks.mountTmpfs(sick.dataDir(), 2048);
        cluster.startAll();
        TestCluster.Active active = activeOtherThan(sick, cluster.awaitSettled());
        Map<String, String> acked = new LinkedHashMap<>();
        fillUntil(active, sick, acked, UNHEALTHY);

        active.node().kill9();
        TestCluster.Active next = awaitActiveWithin(active.term(), FAILOVER_BOUND);
        assertThat(next.id()).isNotEqualTo(sick.id());
        assertAllPresent(next, acked);
        assertThat(cluster.statusOf(sick).role()).isEqualTo("UNHEALTHY");
    }

    @Test
    void whenNoMajorityCanPersistThereIsNoActiveAndEveryNodeSaysWhy(TestInfo test) throws Exception {
        cluster = TestCluster.create(name(test), 3);
        List<NodeProcess> sick = List.of(cluster.node("n2"), cluster.node("n3"));
        for (NodeProcess n : sick) {
            disks.mountTmpfs(n.dataDir(), 2048);
        }
        cluster.startAll();
        TestCluster.Active active = activeOn(cluster.node("n1"), cluster.awaitSettled());
        for (int i = 0; i < 60 && sick.stream().anyMatch(n -> cluster.tryStatus(n).filter(UNHEALTHY).isEmpty()); i++) {
            cluster.http().put(active.url() + Http.kvPath("big/" + i), BIG + i);
        }
        for (NodeProcess n : cluster.nodes()) {
            NodeStatus st = awaitStatus(n, s -> s.problem() != null && !"ACTIVE".equals(s.role()),
                    n.id() + " not ACTIVE and reporting the cluster's problem");
            assertThat(st.problem()).startsWith("no majority can persist writes");
        }
        cluster.assertNoActive();

        for (NodeProcess n : sick) {
            disks.resize(n.dataDir(), 512 * 1024);
        }
        TestCluster.Active back = cluster.awaitActive(0);
        Http.Response w = cluster.http().put(back.url() + Http.kvPath("after"), "ok");
        assertThat(w.status()).as("%s", w).isEqualTo(200);
        for (NodeProcess n : cluster.nodes()) {
            awaitStatus(n, s -> s.problem() == null && s.health().ok(), n.id() + " healthy without a problem");
        }
    }

    // ---- helpers

    /** Starts 3 nodes, writes one value, and returns the ACTIVE once its first follower (others(active).get(0)) holds it. */
    private TestCluster.Active startWithACaughtUpFollower(TestInfo test, Map<String, String> acked) {
        cluster = TestCluster.start(name(test), 3);
        TestCluster.Active active = cluster.awaitActive();
        write(active, "before", "v0", acked);
        cluster.awaitCaughtUpStandby(cluster.others(active.node()).get(0), active);
        return active;
    }

    /** Writes 100 KB values to the ACTIVE until {@code node}'s status matches (at most 60 writes, 6 MB). */
    private void fillUntil(TestCluster.Active active, NodeProcess node, Map<String, String> acked, Predicate<NodeStatus> done) {
        for (int i = 0; i < 60; i++) {
            if (cluster.tryStatus(node).filter(done).isPresent()) {
                return;
            }
            write(active, "big/" + i, BIG + i, acked);
        }
        awaitStatus(node, done, node.id() + " after filling its disk");
    }

    private void write(TestCluster.Active active, String key, String value, Map<String, String> acked) {
        Http.Response r = cluster.http().put(active.url() + Http.kvPath(key), value);
        assertThat(r.status()).as("%s", r).isEqualTo(200);
        acked.put(key, value);
    }

    private NodeStatus awaitStatus(NodeProcess node, Predicate<NodeStatus> p, String what) {
        long deadline = System.nanoTime() + TestCluster.WAIT.toNanos();
        Optional<NodeStatus> last = Optional.empty();
        while (System.nanoTime() < deadline) {
            last = cluster.tryStatus(node);
            if (last.filter(p).isPresent()) {
                return last.orElseThrow();
            }
            sleep(200);
        }
        throw new AssertionError("not seen within " + TestCluster.WAIT.toSeconds() + " s: " + what + "; last status: " + last);
    }

    private TestCluster.Active awaitActiveWithin(long termAbove, Duration bound) {
        long deadline = System.nanoTime() + bound.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<TestCluster.Active> a = cluster.activeNow(termAbove);
            if (a.isPresent()) {
                return a.get();
            }
            sleep(100);
        }
        throw new AssertionError("no ACTIVE with a term above " + termAbove + " within " + bound.toSeconds() + " s; statuses: "
                + cluster.statusesNow());
    }

    /** The ACTIVE, moved off {@code node} by a switchover if it is there. */
    private TestCluster.Active activeOtherThan(NodeProcess node, TestCluster.Active active) {
        if (!active.node().equals(node)) {
            return active;
        }
        String to = cluster.others(node).get(0).id();
        Http.Response t = cluster.http().method("POST", active.url() + "/v1/admin/transfer?to=" + to, new byte[0]);
        assertThat(t.status()).as("%s", t).isEqualTo(200);
        return cluster.awaitSettled();
    }

    /** The ACTIVE, moved to {@code node} by a switchover if it is elsewhere. */
    private TestCluster.Active activeOn(NodeProcess node, TestCluster.Active active) {
        if (active.node().equals(node)) {
            return active;
        }
        Http.Response t = cluster.http().method("POST", active.url() + "/v1/admin/transfer?to=" + node.id(), new byte[0]);
        assertThat(t.status()).as("%s", t).isEqualTo(200);
        TestCluster.Active now = cluster.awaitSettled();
        assertThat(now.id()).isEqualTo(node.id());
        return now;
    }

    private void assertAllPresent(TestCluster.Active active, Map<String, String> acked) {
        for (Map.Entry<String, String> e : acked.entrySet()) {
            Http.Response r = cluster.http().get(active.url() + Http.kvPath(e.getKey()));
            assertThat(r.status()).as("acknowledged %s on %s: %s", e.getKey(), active.id(), r).isEqualTo(200);
            assertThat(r.json(KvEntry.class).value()).as("acknowledged %s", e.getKey()).isEqualTo(e.getValue());
        }
        System.out.printf("[it] %d acknowledged writes present on %s%n", acked.size(), active.id());
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}

package dev.baton.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.baton.client.BatonClient;
import dev.baton.client.BatonException;
import dev.baton.client.LeaderEvent;
import dev.baton.client.LeaderWatch;
import dev.baton.client.NoLeaderException;
import dev.baton.client.OutcomeUnknownException;
import dev.baton.client.wire.KvEntry;
import dev.baton.client.wire.WriteResult;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The client through real faults on five node JVMs (issue 4): exactly-once writes across a
 * {@code kill -9} and a {@code SIGSTOP} of the ACTIVE; a write retried by hand (same client id and
 * sequence number) applied once, also across a failover; {@code watchLeader} across two failovers;
 * and the {@code baton} CLI, run as a process, with its output and exit codes.
 */
@ExtendWith(NodeLogsOnFailure.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClientFailoverIT {

    private static TestCluster cluster;

    @BeforeAll
    static void startCluster() {
        // five nodes: the writer test takes two faults in a row (kill -9, then SIGSTOP) without a
        // restart in between, and three of five still form a majority
        cluster = TestCluster.start("ClientFailoverIT", 5);
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    /** Every test starts from three running nodes: one ACTIVE, two caught-up STANDBYs. */
    @BeforeEach
    void allNodesUp() {
        for (NodeProcess n : cluster.nodes()) {
            if (!n.isAlive()) {
                n.restart();
            }
        }
        cluster.awaitSettled();
    }

    private static BatonClient client() {
        return BatonClient.builder()
                .seeds(cluster.nodes().stream().map(n -> URI.create(n.url())).toList())
                .requestTimeout(Duration.ofSeconds(2))
                .deadline(Duration.ofSeconds(30))
                .build();
    }

    private static String seeds() {
        return cluster.nodes().stream().map(NodeProcess::url).collect(Collectors.joining(","));
    }

    // ---------------------------------------------------------------- (a) exactly once across faults

    /** One acknowledged write of the writer, in issue order. */
    private record Ack(long i, String key, long revision, long term, long atNanos) {}

    private static final String COUNTER = "exactly-once/counter";

    private static String writeKey(long i) {
        return String.format("exactly-once/w/%06d", i);
    }

    @Test
    @Order(1)
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

        try (BatonClient client = client()) {
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
                System.out.printf("[it] ClientFailoverIT: kill -9 of %s (term %d): %s ACTIVE at term %d; writer paused %d ms%n",
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
                System.out.printf("[it] ClientFailoverIT: SIGSTOP of %s (term %d): %s ACTIVE at term %d; writer paused %d ms%n",
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
        try (BatonClient reader = client()) {
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
            System.out.printf("[it] ClientFailoverIT: %d writes issued, %d acknowledged (%d puts + %d CAS), %d unknown, "
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

    // ---------------------------------------------------------------- (b) a retried write, by hand

    private static final HttpClient RAW = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    /** A PUT with de-duplication headers, as the client sends it; {@code ackedBelow} 0 = no header. */
    private static Http.Response put(String url, String clientId, long seq, long ackedBelow, String value)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(15))
                .header("Baton-Client-Id", clientId)
                .header("Baton-Request-Seq", Long.toString(seq))
                .PUT(HttpRequest.BodyPublishers.ofString(value));
        if (ackedBelow > 0) {
            b.header("Baton-Acked-Below", Long.toString(ackedBelow));
        }
        HttpResponse<byte[]> r = RAW.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        return new Http.Response("PUT", url, r.statusCode(), r.headers(), r.body());
    }

    @Test
    @Order(2)
    void aRetriedWriteIsAppliedOnceAndAnsweredWithTheFirstAnswerAlsoAfterAFailover() throws Exception {
        TestCluster.Active active = cluster.awaitActive();
        String base = active.url() + Http.kvPath("retried/k");
        String id = "it-retry-" + System.nanoTime();

        Http.Response first = put(base, id, 1, 1, "first");
        Http.Response retry = put(base, id, 1, 1, "second"); // lost answer: same id and seq, sent again
        assertThat(first.status()).as("%s", first).isEqualTo(200);
        assertThat(retry.status()).as("%s", retry).isEqualTo(200);
        assertThat(retry.text()).isEqualTo(first.text());
        long rev1 = first.json(WriteResult.class).revision();
        assertThat(cluster.http().get(base).json(KvEntry.class)).isEqualTo(new KvEntry("retried/k", "first", rev1));
        long revisionAfter = cluster.statusOf(active.node()).revision();

        // A compare-and-set retried after it applied returns its success, not a conflict with itself.
        Http.Response cas = put(base + "?ifRevision=" + rev1, id, 2, 2, "cas");
        Http.Response casRetry = put(base + "?ifRevision=" + rev1, id, 2, 2, "cas");
        assertThat(cas.status()).as("%s", cas).isEqualTo(200);
        assertThat(casRetry.text()).isEqualTo(cas.text());
        // A conflict is answered the same way on retry, even after the key moved on.
        Http.Response conflict = put(base + "?ifRevision=" + rev1, id, 3, 3, "late");
        assertThat(conflict.status()).as("%s", conflict).isEqualTo(409);
        long rev2 = cas.json(WriteResult.class).revision();
        Http.Response moved = put(base + "?ifRevision=" + rev2, id, 4, 3, "moved"); // seq 3 still "in flight"
        assertThat(moved.status()).as("%s", moved).isEqualTo(200);
        Http.Response conflictRetry = put(base + "?ifRevision=" + rev1, id, 3, 3, "late");
        assertThat(conflictRetry.status()).isEqualTo(409);
        assertThat(conflictRetry.text()).isEqualTo(conflict.text());
        assertThat(cluster.statusOf(active.node()).revision()).as("cas + moved applied, nothing else")
                .isEqualTo(revisionAfter + 2);

        // Below the acknowledged mark: refused, nothing applied.
        Http.Response old = put(base, id, 1, 5, "too old");
        assertThat(old.status()).as("%s", old).isEqualTo(400);
        assertThat(old.error().error()).isEqualTo("invalid_parameter");

        // Sent to the active, answer "lost", the active crashes; the retry goes to the new active and
        // gets the first answer: the de-duplication table is replicated state.
        Http.Response beforeCrash = put(base, id, 5, 5, "before crash");
        assertThat(beforeCrash.status()).isEqualTo(200);
        long revisionBeforeCrash = cluster.statusOf(active.node()).revision();
        active.node().kill9();
        TestCluster.Active next = cluster.awaitActive(active.term());
        Http.Response afterCrash = put(next.url() + Http.kvPath("retried/k"), id, 5, 5, "after crash");
        assertThat(afterCrash.status()).as("%s", afterCrash).isEqualTo(200);
        WriteResult original = beforeCrash.json(WriteResult.class);
        WriteResult replayed = afterCrash.json(WriteResult.class);
        // the spec promises the same revision; the term of the replay is reported as is (see below)
        assertThat(replayed).usingRecursiveComparison().ignoringFields("term").isEqualTo(original);
        if (replayed.term() != original.term()) {
            System.out.printf("[it] ClientFailoverIT: NOTE replayed answer after failover carries term %d, the first one %d%n",
                    replayed.term(), original.term());
        }
        assertThat(cluster.http().get(next.url() + Http.kvPath("retried/k")).json(KvEntry.class).value())
                .isEqualTo("before crash");
        assertThat(cluster.statusOf(next.node()).revision()).isEqualTo(revisionBeforeCrash);
        System.out.printf("[it] ClientFailoverIT: retries of seq 1, 2, 3 and (across the failover %s -> %s) 5 "
                + "answered with their first answers; applied once each%n", active.id(), next.id());
    }

    // ---------------------------------------------------------------- (c) watchLeader

    @Test
    @Order(3)
    void watchLeaderSeesEachNewTermOnceAndInOrderAcrossTwoFailovers() {
        List<LeaderEvent> events = new CopyOnWriteArrayList<>();
        try (BatonClient client = client(); LeaderWatch watch = client.watchLeader(events::add)) {
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
            System.out.printf("[it] ClientFailoverIT: watch saw %s%n", events);
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

    // ---------------------------------------------------------------- (d) the CLI

    private static int cliRuns;

    private static BatonJar.RunResult cli(Duration timeout, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of(args));
        Path log = cluster.dir().resolve("cli").resolve((++cliRuns) + "-" + args[0] + ".log");
        BatonJar.RunResult r = BatonJar.run(log, timeout, all);
        System.out.printf("[it] $ baton %s%n[it]   -> exit %d: %s%n", String.join(" ", args), r.exitCode(),
                r.output().strip().replace("\n", "\n[it]      "));
        return r;
    }

    private static BatonJar.RunResult cli(String... args) throws Exception {
        return cli(Duration.ofSeconds(60), args);
    }

    @Test
    @Order(4)
    void cliCommandsPrintWhatScriptsExpectAndExitWithDocumentedCodes() throws Exception {
        TestCluster.Active active = cluster.awaitSettled();
        String seeds = "--seeds=" + seeds();
        String leaderLine = active.id() + " " + active.url() + " term " + active.term();

        BatonJar.RunResult r = cli("leader", seeds);
        assertThat(r.exitCode()).isZero();
        assertThat(r.output().strip()).isEqualTo(leaderLine);

        r = cli("status", seeds);
        assertThat(r.exitCode()).isZero();
        assertThat(r.output().lines().toList()).hasSize(6).first().asString().startsWith("ID  ");
        assertThat(r.output()).contains("ACTIVE").contains("STANDBY");

        r = cli("put", "cli/k", "v1", seeds);
        assertThat(r.exitCode()).isZero();
        assertThat(r.output().strip()).matches("revision \\d+ term " + active.term());
        long rev = Long.parseLong(r.output().strip().split(" ")[1]);

        r = cli("get", "cli/k", seeds);
        assertThat(r.exitCode()).isZero();
        assertThat(r.output()).isEqualTo("v1\n");

        r = cli("get", "cli/k", "--json", seeds);
        assertThat(Http.JSON.readValue(r.output(), KvEntry.class)).isEqualTo(new KvEntry("cli/k", "v1", rev));

        NodeProcess standby = cluster.others(active.node()).get(0);
        cluster.awaitCaughtUpStandby(standby, active);
        r = cli("get", "--stale", "--json", "cli/k", "--seeds=" + standby.url());
        assertThat(r.exitCode()).isZero();
        var stale = Http.JSON.readTree(r.output());
        assertThat(stale.get("value").asText()).isEqualTo("v1");
        assertThat(stale.get("node").asText()).isEqualTo(standby.url());
        assertThat(stale.get("stalenessMs").asLong()).isBetween(0L, 10_000L);
        assertThat(stale.get("appliedIndex").asLong()).isPositive();

        r = cli("get", "cli/missing", seeds);
        assertThat(r.exitCode()).isEqualTo(4);
        assertThat(r.output().strip()).isEqualTo("baton get: key 'cli/missing' not found");
        r = cli("get", "--stale", "cli/missing", seeds);
        assertThat(r.exitCode()).isEqualTo(4);

        r = cli("cas", "cli/k", Long.toString(rev + 1000), "v2", seeds);
        assertThat(r.exitCode()).isEqualTo(5);
        assertThat(r.output()).contains("current revision is " + rev);
        r = cli("cas", "cli/k", Long.toString(rev), "v2", seeds);
        assertThat(r.exitCode()).isZero();
        assertThat(r.output().strip()).matches("revision \\d+ term \\d+");

        r = cli("list", "cli/", seeds);
        assertThat(r.exitCode()).isZero();
        assertThat(r.output().lines().toList()).hasSize(2);
        assertThat(r.output().lines().toList().get(1)).matches("cli/k\\s+\\d+\\s+v2");

        r = cli("delete", "cli/k", seeds);
        assertThat(r.exitCode()).isZero();
        r = cli("get", "cli/k", seeds);
        assertThat(r.exitCode()).isEqualTo(4);

        r = cli("put", "", "v", seeds);
        assertThat(r.exitCode()).isEqualTo(2);
        r = cli("frobnicate", seeds);
        assertThat(r.exitCode()).isEqualTo(2);

        r = cli("watch", "--count", "1", seeds);
        assertThat(r.exitCode()).isZero();
        assertThat(r.output().strip()).isEqualTo("term " + active.term() + " leader " + active.id() + " " + active.url());
        r = cli("watch", "--count", "1", "--json", seeds);
        assertThat(Http.JSON.readTree(r.output()).get("event").asText()).isEqualTo("leader");
        r = cli("watch", "--count", "2", "--timeout", "2s", seeds);
        assertThat(r.exitCode()).isEqualTo(7);
        assertThat(r.output()).contains("term " + active.term() + " leader " + active.id())
                .contains("baton watch: 1 of 2 events within 2s");

        // Nothing listening there: exit 3 after the timeout, for every command that needs an active node.
        String nowhere = "--seeds=http://127.0.0.9:1";
        for (String[] args : List.of(new String[] {"leader"}, new String[] {"get", "k"}, new String[] {"put", "k", "v"},
                new String[] {"get", "--stale", "k"})) {
            List<String> a = new ArrayList<>(List.of(args));
            a.add(nowhere);
            a.add("--timeout=1s");
            r = cli(a.toArray(String[]::new));
            assertThat(r.exitCode()).as("%s", a).isEqualTo(3);
        }
        r = cli("status", nowhere, "--timeout=1s");
        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.output()).contains("UNREACHABLE");

        // watch follows a failover: started before the kill, it prints the old leader, maybe "no
        // leader" lines, then the new leader.
        Path out = cluster.dir().resolve("cli").resolve("watch-failover.log");
        Process watch = new ProcessBuilder(BatonJar.command(List.of("watch", "--timeout", "90s", seeds)))
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        try {
            String oldLine = "term " + active.term() + " leader " + active.id() + " " + active.url();
            await("watch printed the current leader").atMost(TestCluster.WAIT)
                    .until(() -> Files.readString(out).contains(oldLine));
            active.node().kill9();
            TestCluster.Active next = cluster.awaitActive(active.term());
            String newLine = "term " + next.term() + " leader " + next.id() + " " + next.url();
            await("watch printed the new leader").atMost(TestCluster.WAIT)
                    .until(() -> Files.readString(out).contains(newLine));
            List<String> printed = Files.readString(out).lines().toList();
            System.out.printf("[it] $ baton watch across kill -9 of %s printed:%n[it]   %s%n", active.id(),
                    String.join("\n[it]   ", printed));
            assertThat(printed.get(0)).isEqualTo(oldLine);
            assertThat(printed.get(printed.size() - 1)).isEqualTo(newLine);
            assertThat(printed.subList(1, printed.size() - 1)).allMatch(l -> l.matches("term \\d+ no leader"));
        } finally {
            watch.destroyForcibly();
        }
    }

    // ---------------------------------------------------------------- (e) an attempt stuck on a hung active

    /**
     * A write sent to an ACTIVE that hangs right then is answered by its successor while the old
     * ACTIVE is still hung: the client leaves the stuck attempt once the cluster names a newer
     * leader, instead of waiting for its attempt timeout (here 120 s, far beyond this test's 60 s
     * bound, so only that behaviour can pass it). Same client id and sequence: applied once.
     */
    @Test
    @Order(5)
    void aWriteStuckOnAHungActiveIsAnsweredByItsSuccessorWhileTheOldActiveStillHangs() throws Exception {
        TestCluster.Active old = cluster.awaitActive();
        try (BatonClient patient = BatonClient.builder()
                .seeds(cluster.nodes().stream().map(n -> URI.create(n.url())).toList())
                .requestTimeout(Duration.ofSeconds(120))
                .deadline(Duration.ofSeconds(180))
                .build()) {
            WriteResult before = patient.put("stuck/warm-up", "cache the active");
            assertThat(before.term()).as("the client has the current active cached").isEqualTo(old.term());

            old.node().sigstop();
            WriteResult answered;
            try {
                CompletableFuture<WriteResult> write =
                        CompletableFuture.supplyAsync(() -> patient.put("stuck/key", "after the hang"));
                try {
                    answered = write.get(60, TimeUnit.SECONDS);
                } catch (java.util.concurrent.TimeoutException e) {
                    throw new AssertionError("the write stayed on the hung active " + old.id() + " for 60 s", e);
                }
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

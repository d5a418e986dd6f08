package dev.baton.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.client.internal.Answers;
import dev.baton.client.internal.FakeNetwork;
import dev.baton.client.internal.Outcome;
import dev.baton.client.wire.KvEntry;
import dev.baton.client.wire.WriteResult;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The client's routing and error semantics against a scripted cluster (no sockets, fake clock). */
class BatonClientTest {

    private static final String N1 = "http://127.0.0.11:8080";
    private static final String N2 = "http://127.0.0.12:8080";
    private static final String N3 = "http://127.0.0.13:8080";
    private static final String WRITE_OK =
            "{\"key\":\"k\",\"revision\":9,\"previousRevision\":4,\"existed\":true,\"term\":6}";

    private final FakeNetwork net = new FakeNetwork();
    private BatonClient client;

    @AfterEach
    void close() {
        if (client != null) {
            client.close();
        }
    }

    private BatonClient client(String seeds) {
        client = ScriptedClient.on(net, ScriptedClient.builder(seeds));
        return client;
    }

    private static final String SESSION = "1-00000000000000c1";

    /** The answer of POST /v1/sessions opening session {@code id}. */
    private static Outcome opened(String id) {
        return Answers.json(200, "{\"session\":\"" + id + "\",\"expiresAfterMs\":3600000}");
    }

    /** A node whose /v1/leader answers {@code leader}, /v1/sessions opens {@link #SESSION}, and other paths answer {@code kv}. */
    private static Function<HttpRequest, Outcome> node(Outcome leader, Function<HttpRequest, Outcome> kv) {
        return r -> r.uri().getPath().equals("/v1/leader") ? leader
                : r.uri().getPath().equals("/v1/sessions") ? opened(SESSION)
                : r.uri().getPath().equals("/v1/status") ? Answers.json(404, "{}") : kv.apply(r);
    }

    private static Outcome noLeader() {
        return Answers.error(503, "no_leader");
    }

    @Test
    void followsRedirectToTheActiveAndCachesIt() {
        net.node(N1, node(FakeNetwork.leader("n1", N1, 5), r -> Answers.notLeader("n2", N2, 6)));
        net.node(N2, node(FakeNetwork.leader("n2", N2, 6), r -> Answers.json(200, WRITE_OK)));
        client(N1); // only n1 is a seed: n2 is learned from the redirect

        WriteResult result = client.put("k", "v");

        assertThat(result).isEqualTo(new WriteResult("k", 9, 4, true, 6));
        assertThat(client.knownNodes()).containsExactly(URI.create(N1), URI.create(N2));
        client.put("k", "v2");
        assertThat(net.requests("/v1/kv").stream().map(r -> r.uri().getHost()))
                .as("the second put goes straight to the cached active")
                .containsExactly("127.0.0.11", "127.0.0.12", "127.0.0.12");
    }

    @Test
    void discoveryTakesTheHighestTermAndWritesCarryClientIdAndSequence() {
        net.node(N1, node(FakeNetwork.leader("n1", N1, 5), r -> Answers.notLeader("n2", N2, 6)));
        net.node(N2, node(FakeNetwork.leader("n2", N2, 6), r -> Answers.json(200, WRITE_OK)));
        net.node(N3, node(FakeNetwork.leader("n2", N2, 6), r -> Answers.notLeader("n2", N2, 6)));
        client(N1 + "," + N2 + "," + N3);

        client.put("k", "a");
        client.delete("k");

        List<HttpRequest> kv = net.requests("/v1/kv");
        assertThat(kv).allSatisfy(r -> assertThat(r.uri().getHost()).isEqualTo("127.0.0.12"));
        assertThat(kv).allSatisfy(r -> assertThat(r.headers().firstValue("Baton-Client-Id")).contains(SESSION));
        assertThat(kv.stream().map(r -> r.headers().firstValue("Baton-Request-Seq").orElseThrow()))
                .containsExactly("1", "2");
    }

    @Test
    void leavesAHungActiveForItsSuccessorAndRetriesTheWriteWithTheSameSequence() {
        java.util.concurrent.atomic.AtomicBoolean n1Hung = new java.util.concurrent.atomic.AtomicBoolean();
        net.node(N1, r -> n1Hung.get() ? Answers.failed(Outcome.FailureKind.TIMED_OUT)
                : node(FakeNetwork.leader("n1", N1, 5), x -> Answers.json(200, WRITE_OK)).apply(r));
        net.node(N2, node(FakeNetwork.leader("n1", N1, 5), r -> Answers.notLeader("n1", N1, 5)));
        client(N1 + "," + N2);
        client.put("k", "first"); // caches n1

        n1Hung.set(true);
        net.node(N2, node(FakeNetwork.leader("n2", N2, 6), r -> Answers.json(200, WRITE_OK)));
        client.put("k", "second");

        List<String> puts = net.requests("/v1/kv").stream()
                .map(r -> r.uri().getHost() + " seq " + r.headers().firstValue("Baton-Request-Seq").orElseThrow())
                .toList();
        assertThat(puts).containsExactly("127.0.0.11 seq 1", "127.0.0.11 seq 2", "127.0.0.12 seq 2");
        List<FakeNetwork.Sent> writes = net.sent().stream().filter(w -> w.request().uri().getPath().startsWith("/v1/kv")).toList();
        assertThat(writes.get(writes.size() - 1).at())
                .as("n2 named its newer term at once, so the write left n1 after the 100 ms hedge delay, "
                        + "not after the 2 s request timeout and a backoff")
                .isEqualTo(Duration.ofMillis(100));
        assertThat(net.time.sleeps).isEmpty();
    }

    @Test
    void noActiveWithinTheDeadlineSaysWhatWasTried() {
        net.node(N1, node(noLeader(), r -> noLeader()));
        client(N1 + "," + N2);

        assertThatThrownBy(() -> client.get("k"))
                .isInstanceOfSatisfying(NoLeaderException.class, e -> {
                    assertThat(e.getMessage()).contains("no active node answered within 10000 ms");
                    assertThat(e.attempts()).anySatisfy(a -> assertThat(a).contains(N1).contains("503 no_leader"));
                    assertThat(e.attempts()).anySatisfy(a -> assertThat(a).contains(N2).contains("connection refused"));
                });
        assertThat(net.time.nanoTime()).isGreaterThanOrEqualTo(Duration.ofSeconds(10).toNanos());
    }

    @Test
    void writeThatTimesOutUntilTheDeadlineHasAnUnknownOutcome() {
        net.node(N1, node(FakeNetwork.leader("n1", N1, 5), r -> Answers.failed(Outcome.FailureKind.TIMED_OUT)));
        client(N1);

        assertThatThrownBy(() -> client.put("k", "v"))
                .isInstanceOf(OutcomeUnknownException.class)
                .hasMessageContaining("put of key 'k' has an unknown outcome")
                .hasMessageContaining(N1);
    }

    @Test
    void readThatTimesOutUntilTheDeadlineIsNoLeader() {
        net.node(N1, node(FakeNetwork.leader("n1", N1, 5), r -> Answers.failed(Outcome.FailureKind.TIMED_OUT)));
        client(N1);

        assertThatThrownBy(() -> client.get("k")).isInstanceOf(NoLeaderException.class);
    }

    @Test
    void compareAndSetMismatchCarriesTheCurrentRevision() {
        net.node(N1, node(FakeNetwork.leader("n1", N1, 5), r -> Answers.json(409,
                "{\"error\":\"revision_mismatch\",\"message\":\"no\",\"currentRevision\":12}")));
        client(N1);

        assertThatThrownBy(() -> client.compareAndSet("k", 3, "v"))
                .isInstanceOfSatisfying(RevisionMismatchException.class, e -> {
                    assertThat(e.currentRevision()).isEqualTo(12);
                    assertThat(e.expectedRevision()).isEqualTo(3);
                    assertThat(e.getMessage()).contains("'k'").contains(N1).contains("current revision is 12");
                });
        assertThat(net.requests("/v1/kv").get(0).uri().getQuery()).isEqualTo("ifRevision=3");
    }

    @Test
    void mismatchOnARetryIsARealMismatchBecauseTheNodeDeduplicates() {
        AtomicInteger calls = new AtomicInteger();
        net.node(N1, node(FakeNetwork.leader("n1", N1, 5), r -> calls.incrementAndGet() == 1
                ? Answers.failed(Outcome.FailureKind.BROKEN)
                : Answers.json(409, "{\"error\":\"revision_mismatch\",\"currentRevision\":4}")));
        client(N1);

        assertThatThrownBy(() -> client.compareAndSet("k", 3, "v"))
                .isInstanceOfSatisfying(RevisionMismatchException.class,
                        e -> assertThat(e.currentRevision()).isEqualTo(4));
    }

    @Test
    void everyAttemptOfOneWriteCarriesItsSequenceNumberAndAckedBelow() {
        AtomicInteger calls = new AtomicInteger();
        net.node(N1, node(FakeNetwork.leader("n1", N1, 5), r -> calls.incrementAndGet() == 2
                ? Answers.failed(Outcome.FailureKind.TIMED_OUT)
                : Answers.json(200, WRITE_OK)));
        client(N1);

        client.put("k", "a"); // seq 1
        client.put("k", "b"); // seq 2: first attempt times out, the retry succeeds
        client.delete("k"); // seq 3

        List<HttpRequest> writes = net.requests("/v1/kv");
        assertThat(writes).hasSize(4);
        assertThat(writes.stream().map(r -> r.headers().firstValue("Baton-Client-Id").orElseThrow())).containsOnly(SESSION);
        assertThat(writes.stream().map(r -> r.headers().firstValue("Baton-Request-Seq").orElseThrow()))
                .containsExactly("1", "2", "2", "3");
        assertThat(writes.stream().map(r -> r.headers().firstValue("Baton-Acked-Below").orElseThrow()))
                .as("the lowest sequence number still in flight: the write's own, as it runs alone")
                .containsExactly("1", "2", "2", "3");
    }

    @Test
    void readsCarryNoSequenceHeaders() {
        net.node(N1, node(FakeNetwork.leader("n1", N1, 5), r -> Answers.error(404, "key_not_found")));
        client(N1);

        client.get("k");

        HttpRequest read = net.requests("/v1/kv").get(0);
        assertThat(read.headers().map()).doesNotContainKeys("Baton-Request-Seq", "Baton-Acked-Below", "Baton-Client-Id");
    }

    @Test
    void staleReadsGoRoundRobinToAnyNodeWithoutRedirectAndReportStaleness() {
        String entry = "{\"key\":\"k\",\"value\":\"v\",\"revision\":3}";
        net.node(N1, r -> Answers.json(200, entry, "Baton-Applied-Index", "40", "Baton-Staleness-Ms", "0"));
        net.node(N2, r -> Answers.json(200, entry, "Baton-Applied-Index", "38", "Baton-Staleness-Ms", "120"));
        net.node(N3, r -> Answers.error(404, "key_not_found"));
        client(N1 + "," + N2 + "," + N3);

        ReadResult<java.util.Optional<KvEntry>> first = client.get("k", Consistency.STALE);
        ReadResult<java.util.Optional<KvEntry>> second = client.get("k", Consistency.STALE);
        ReadResult<java.util.Optional<KvEntry>> third = client.get("k", Consistency.STALE);

        assertThat(first).isEqualTo(new ReadResult<>(java.util.Optional.of(new KvEntry("k", "v", 3)), URI.create(N1), 40, 0));
        assertThat(second).isEqualTo(new ReadResult<>(java.util.Optional.of(new KvEntry("k", "v", 3)), URI.create(N2), 38, 120));
        assertThat(third.value()).isEmpty();
        assertThat(third.node()).isEqualTo(URI.create(N3));
        assertThat(third.stalenessKnown()).isFalse();
        assertThat(net.requests("/v1/leader")).as("no discovery for stale reads").isEmpty();
        assertThat(net.requests("/v1/kv").get(0).uri().getQuery()).isEqualTo("stale=true");
    }

    @Test
    void staleReadSkipsNodesThatFailAndThoseThatRedirect() {
        net.node(N1, r -> Answers.failed(Outcome.FailureKind.TIMED_OUT));
        net.node(N2, r -> Answers.notLeader("n3", N3, 5));
        net.node(N3, r -> Answers.json(200, "[]", "Baton-Applied-Index", "7", "Baton-Staleness-Ms", "-1"));
        client(N1 + "," + N2 + "," + N3);

        ReadResult<List<KvEntry>> read = client.list("p/", Consistency.STALE);

        assertThat(read.value()).isEmpty();
        assertThat(read.node()).isEqualTo(URI.create(N3));
        assertThat(read.stalenessMs()).isEqualTo(-1);
        assertThat(net.requests("/v1/kv").get(0).uri().getQuery()).isEqualTo("prefix=p/&limit=1000&stale=true");
    }

    @Test
    void staleReadWithNoNodeAnsweringFailsAtTheDeadline() {
        client(N1 + "," + N2);

        assertThatThrownBy(() -> client.get("k", Consistency.STALE))
                .isInstanceOf(NoLeaderException.class)
                .hasMessageContaining("no node answered");
    }

    @Test
    void linearizableReadWithConsistencyNamesTheActive() {
        net.node(N1, node(FakeNetwork.leader("n1", N1, 5),
                r -> Answers.json(200, "{\"key\":\"k\",\"value\":\"v\",\"revision\":3}")));
        client(N1);

        ReadResult<java.util.Optional<KvEntry>> read = client.get("k", Consistency.LINEARIZABLE);

        assertThat(read.node()).isEqualTo(URI.create(N1));
        assertThat(read.stalenessMs()).isZero();
        assertThat(net.requests("/v1/kv").get(0).uri().getQuery()).isNull();
    }

    @Test
    void getOfMissingKeyIsEmptyAndValueIsDecoded() {
        net.node(N1, node(FakeNetwork.leader("n1", N1, 5), r -> r.uri().getPath().endsWith("/there")
                ? Answers.json(200, "{\"key\":\"a/there\",\"value\":\"v\",\"revision\":3,\"extra\":1}")
                : Answers.error(404, "key_not_found")));
        client(N1);

        assertThat(client.get("missing")).isEmpty();
        assertThat(client.getBytes("missing")).isEmpty();
        assertThat(client.get("a/there")).contains(new KvEntry("a/there", "v", 3));
    }

    @Test
    void listParsesEntries() {
        net.node(N1, node(FakeNetwork.leader("n1", N1, 5), r -> Answers.json(200,
                "[{\"key\":\"a/1\",\"value\":\"x\",\"revision\":1},{\"key\":\"a/2\",\"value\":\"y\",\"revision\":2}]")));
        client(N1);

        assertThat(client.list("a/")).extracting(KvEntry::key).containsExactly("a/1", "a/2");
        assertThat(net.requests("/v1/kv").get(0).uri().getRawQuery()).isEqualTo("prefix=a%2F&limit=1000");
    }

    /** A listing cut at the node's limit used to come back as if it were whole. */
    @Test
    void listFollowsPagesUntilTheNodeSaysTheListingIsComplete() {
        net.node(N1, node(FakeNetwork.leader("n1", N1, 5), r -> r.uri().getRawQuery().contains("after=")
                ? Answers.json(200, "[{\"key\":\"a/3 \u00e9\",\"value\":\"z\",\"revision\":3}]", "Baton-Truncated", "false")
                : Answers.json(200, "[{\"key\":\"a/1\",\"value\":\"x\",\"revision\":1},{\"key\":\"a/2 \u00e9\",\"value\":\"y\",\"revision\":2}]",
                        "Baton-Truncated", "true", "Baton-Next-After", "a%2F2%20%C3%A9")));
        client(N1);

        assertThat(client.list("a/")).extracting(KvEntry::key).containsExactly("a/1", "a/2 \u00e9", "a/3 \u00e9");
        assertThat(net.requests("/v1/kv")).extracting(r -> r.uri().getRawQuery())
                .containsExactly("prefix=a%2F&limit=1000", "prefix=a%2F&after=a%2F2%20%C3%A9&limit=1000");

        KvPage first = client.listPage("a/", "", 2);
        assertThat(first.complete()).isFalse();
        assertThat(first.nextAfter()).contains("a/2 \u00e9");
        assertThat(client.listPage("a/", first.nextAfter().get(), 2).complete()).isTrue();
    }

    @Test
    void aCutListingWithoutWhereToGoOnIsAnError() {
        net.node(N1, node(FakeNetwork.leader("n1", N1, 5), r -> Answers.json(200, "[]", "Baton-Truncated", "true")));
        client(N1);

        assertThatThrownBy(() -> client.list("a/")).isInstanceOf(BatonException.class).hasMessageContaining("Baton-Next-After");
    }

    @Test
    void badRequestsFailAtOnceWithTypedErrors() {
        net.node(N1, node(FakeNetwork.leader("n1", N1, 5), r -> r.uri().getPath().endsWith("big")
                ? Answers.error(413, "value_too_large")
                : Answers.error(400, "invalid_key")));
        client(N1);

        assertThatThrownBy(() -> client.put("big", new byte[10]))
                .isInstanceOfSatisfying(ValueTooLargeException.class, e -> assertThat(e.valueBytes()).isEqualTo(10));
        assertThatThrownBy(() -> client.put("bad", "v"))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo("invalid_key");
                    assertThat(e.node()).isEqualTo(URI.create(N1));
                });
        assertThat(net.time.sleeps).as("no retries for request errors").isEmpty();
    }

    @Test
    void redirectLoopIsTreatedAsAFailedAttempt() {
        net.node(N1, node(FakeNetwork.leader("n1", N1, 5), r -> Answers.notLeader("n2", N2, 5)));
        net.node(N2, node(FakeNetwork.leader("n1", N1, 5), r -> Answers.notLeader("n1", N1, 5)));
        client(N1 + "," + N2);

        assertThatThrownBy(() -> client.get("k"))
                .isInstanceOfSatisfying(NoLeaderException.class,
                        e -> assertThat(e.attempts()).anySatisfy(a -> assertThat(a).contains("redirect loop")));
    }

    @Test
    void leaderChoosesHighestTermAndLearnsMembersFromStatus() {
        String status = "{\"id\":\"n2\",\"url\":\"" + N2 + "\",\"role\":\"ACTIVE\",\"term\":6,\"members\":["
                + "{\"id\":\"n1\",\"url\":\"" + N1 + "\"},{\"id\":\"n3\",\"url\":\"" + N3 + "/\"}]}";
        net.node(N1, node(FakeNetwork.leader("n1", N1, 5), r -> noLeader()));
        net.node(N2, r -> r.uri().getPath().equals("/v1/leader") ? FakeNetwork.leader("n2", N2, 6) : Answers.json(200, status));
        client(N1 + "," + N2);

        assertThat(client.leader()).isEqualTo(new dev.baton.client.wire.LeaderInfo("n2", N2, 6));
        assertThat(client.knownNodes()).containsExactly(URI.create(N1), URI.create(N2), URI.create(N3));
    }

    @Test
    void statusAllReportsUnreachableNodesAndAsksLearnedOnes() {
        String status = "{\"id\":\"n1\",\"url\":\"" + N1 + "\",\"role\":\"ACTIVE\",\"term\":2,\"members\":["
                + "{\"id\":\"n3\",\"url\":\"" + N3 + "\"}]}";
        net.node(N1, r -> Answers.json(200, status));
        client(N1 + "," + N2);

        List<NodeStatusResult> results = client.statusAll();

        assertThat(results).extracting(NodeStatusResult::node)
                .containsExactly(URI.create(N1), URI.create(N2), URI.create(N3));
        assertThat(results.get(0).status().role()).isEqualTo("ACTIVE");
        assertThat(results.get(1).error()).isInstanceOf(NodeUnreachableException.class).hasMessageContaining(N2);
        assertThat(results.get(2).answered()).isFalse();
        assertThatThrownBy(() -> client.status(URI.create(N2))).isInstanceOf(NodeUnreachableException.class);
    }

    @Test
    void closedClientRefusesCalls() {
        client(N1).close();

        assertThatThrownBy(() -> client.get("k")).isInstanceOf(IllegalStateException.class);
    }
}

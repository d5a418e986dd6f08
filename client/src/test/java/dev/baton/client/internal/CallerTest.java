package dev.baton.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.client.NoLeaderException;
import dev.baton.client.OutcomeUnknownException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The call loop on a scripted cluster and the fake clock: how fast it follows a failover is
 * measured in fake time, from the moment the new leader is known, never on the wall clock.
 */
class CallerTest {

    private static final String N1 = "http://127.0.0.11:8080";
    private static final String N2 = "http://127.0.0.12:8080";
    private static final String N3 = "http://127.0.0.13:8080";
    private static final Duration REQUEST_TIMEOUT = Duration.ofMillis(300);
    private static final Duration DEADLINE = Duration.ofSeconds(10);
    private static final String WRITE_OK =
            "{\"key\":\"k\",\"revision\":9,\"previousRevision\":4,\"existed\":true,\"term\":6}";

    private final FakeNetwork net = new FakeNetwork();
    private final ClusterView view = new ClusterView(List.of(URI.create(N1), URI.create(N2), URI.create(N3)));
    private final Caller caller = new Caller(net, view, new Discovery(net, view, net.time), Backoff.DEFAULT,
            REQUEST_TIMEOUT, DEADLINE, net.time,
            new LeaderChanges(net, view, Duration.ofSeconds(5)));

    private static final ClientSession SESSION = ClientSession.opened("1-00000000000000c1");

    /** put k, sequence number 7: the status code of its answer. */
    private static Call<Integer> put() {
        return new Call<>("put", "PUT", "/v1/kv/k", "v".getBytes(StandardCharsets.UTF_8), true, "k", -1,
                new ClientSession.Seq(SESSION, 7),
                Outcome.Answer::status, null);
    }

    private static boolean isLongPoll(HttpRequest r) {
        return r.uri().getPath().equals("/v1/leader") && r.uri().getQuery() != null;
    }

    private static boolean isDiscovery(HttpRequest r) {
        return r.uri().getPath().equals("/v1/leader") && r.uri().getQuery() == null;
    }

    /** A node answering long-polls with {@code poll}, discovery with {@code leader} and writes with {@code kv}. */
    private static Function<HttpRequest, CompletableFuture<Outcome>> node(
            Function<HttpRequest, CompletableFuture<Outcome>> poll, Outcome leader,
            Function<HttpRequest, CompletableFuture<Outcome>> kv) {
        return r -> isLongPoll(r) ? poll.apply(r)
                : isDiscovery(r) ? CompletableFuture.completedFuture(leader)
                : r.uri().getPath().equals("/v1/status") ? CompletableFuture.completedFuture(Answers.json(404, "{}"))
                : kv.apply(r);
    }

    private static Function<HttpRequest, CompletableFuture<Outcome>> answer(Outcome outcome) {
        return r -> CompletableFuture.completedFuture(outcome);
    }

    private static Function<HttpRequest, CompletableFuture<Outcome>> hang() {
        return r -> FakeNetwork.never();
    }

    private List<FakeNetwork.Sent> writes() {
        return net.sent().stream().filter(s -> s.request().uri().getPath().startsWith("/v1/kv")).toList();
    }

    private static String host(FakeNetwork.Sent s) {
        return s.request().uri().getHost();
    }

    @Test
    void hungLeaderIsAbandonedForTheNewerLeaderAFollowerNamesAndTheWriteIsResentUnchanged() {
        view.setLeader(new LeaderRef(URI.create(N1), "n1", 5));
        net.nodeAsync(N1, hang()); // SIGSTOP: no answer to anything
        net.nodeAsync(N2, node(r -> net.after(Duration.ofMillis(150), FakeNetwork.leader("n2", N2, 6)),
                FakeNetwork.leader("n2", N2, 6), answer(Answers.json(200, WRITE_OK))));
        net.nodeAsync(N3, node(hang(), FakeNetwork.leader("n2", N2, 6), hang()));

        Caller.Served<Integer> served = caller.executeServed(put());

        assertThat(served.node()).isEqualTo(URI.create(N2));
        assertThat(served.value()).isEqualTo(200);
        List<FakeNetwork.Sent> writes = writes();
        assertThat(writes).extracting(CallerTest::host).containsExactly("127.0.0.11", "127.0.0.12");
        assertThat(writes).allSatisfy(w -> {
            assertThat(w.request().headers().firstValue("Baton-Client-Id")).contains(SESSION.id());
            assertThat(w.request().headers().firstValue("Baton-Request-Seq")).contains("7");
        });
        assertThat(writes.get(1).at()).as("sent when n2's long-poll answered: hedge delay + 150 ms")
                .isEqualTo(AttemptWait.HEDGE_DELAY.plusMillis(150));
        assertThat(net.cancelled()).as("the abandoned write and the round's open polls")
                .contains(writes.get(0).request());
        assertThat(net.requests()).as("no discovery, no backoff").noneMatch(CallerTest::isDiscovery);
        assertThat(net.time.sleeps).isEmpty();
        assertThat(view.leader()).contains(new LeaderRef(URI.create(N2), "n2", 6));
    }

    @Test
    void aSwitchoverIsAwaitedToItsAnswerThoughTheLeaderItElectsShowsUpFirst() {
        // the transfer takes 400 ms; its own successor n2 (term 6) is known after 150 ms: sending the
        // transfer again to n2 would start a second switchover (or fail: n2 cannot hand over to itself)
        view.setLeader(new LeaderRef(URI.create(N1), "n1", 5));
        String done = "{\"from\":\"n1\",\"to\":\"n2\",\"fromTerm\":5,\"term\":6}";
        net.nodeAsync(N1, node(hang(), FakeNetwork.leader("n1", N1, 5), r -> net.after(Duration.ofMillis(400), Answers.json(200, done))));
        net.nodeAsync(N2, node(r -> net.after(Duration.ofMillis(150), FakeNetwork.leader("n2", N2, 6)),
                FakeNetwork.leader("n2", N2, 6), answer(Answers.json(400, "{\"error\":\"invalid_parameter\"}"))));
        net.nodeAsync(N3, node(hang(), FakeNetwork.leader("n2", N2, 6), hang()));
        Call<Integer> transfer = new Call<>("transfer", "POST", "/v1/admin/transfer?to=n2", new byte[0], false, "", -1, null,
                Outcome.Answer::status, null, true);

        Caller.Served<Integer> served = caller.executeServed(transfer);

        assertThat(served.node()).isEqualTo(URI.create(N1));
        assertThat(served.value()).isEqualTo(200);
        assertThat(net.sent().stream().filter(s -> s.request().uri().getPath().startsWith("/v1/admin")))
                .extracting(CallerTest::host).containsExactly("127.0.0.11");
    }

    @Test
    void longPollAnswersNotAboveTheAttemptsTermAreIgnored() {
        view.setLeader(new LeaderRef(URI.create(N1), "n1", 5));
        net.nodeAsync(N1, hang());
        // n2 names a leader of the same term elsewhere: not newer; n3 later names term 6
        net.nodeAsync(N2, node(answer(FakeNetwork.leader("n2", N2, 5)), FakeNetwork.leader("n2", N2, 5),
                answer(Answers.json(200, WRITE_OK))));
        net.nodeAsync(N3, node(r -> net.after(Duration.ofMillis(50), FakeNetwork.leader("n3", N3, 6)),
                FakeNetwork.leader("n3", N3, 6), answer(Answers.json(200, WRITE_OK))));

        Caller.Served<Integer> served = caller.executeServed(put());

        assertThat(served.node()).isEqualTo(URI.create(N3));
        assertThat(writes()).extracting(CallerTest::host).containsExactly("127.0.0.11", "127.0.0.13");
        assertThat(writes().get(1).at()).isEqualTo(AttemptWait.HEDGE_DELAY.plusMillis(50));
    }

    @Test
    void aFastAnswerStartsNoLongPolls() {
        view.setLeader(new LeaderRef(URI.create(N1), "n1", 5));
        net.nodeAsync(N1, node(hang(), FakeNetwork.leader("n1", N1, 5),
                r -> net.after(AttemptWait.HEDGE_DELAY.minusMillis(1), Answers.json(200, WRITE_OK))));

        assertThat(caller.executeServed(put()).node()).isEqualTo(URI.create(N1));
        assertThat(net.requests()).noneMatch(CallerTest::isLongPoll);
    }

    @Test
    void slowLeaderThatStaysLeaderIsAwaitedToItsAnswer() {
        view.setLeader(new LeaderRef(URI.create(N1), "n1", 5));
        net.nodeAsync(N1, node(answer(FakeNetwork.leader("n1", N1, 5)), FakeNetwork.leader("n1", N1, 5),
                r -> net.after(Duration.ofMillis(250), Answers.json(200, WRITE_OK))));
        net.nodeAsync(N2, node(answer(FakeNetwork.leader("n1", N1, 5)), FakeNetwork.leader("n1", N1, 5), hang()));
        net.nodeAsync(N3, node(answer(Answers.error(503, "no_leader")), FakeNetwork.leader("n1", N1, 5), hang()));

        Caller.Served<Integer> served = caller.executeServed(put());

        assertThat(served.node()).isEqualTo(URI.create(N1));
        assertThat(writes()).hasSize(1);
        assertThat(net.time.nanoTime()).isEqualTo(Duration.ofMillis(250).toNanos());
    }

    @Test
    void aNewerTermOfTheSameNodeDoesNotAbandonItsAttempt() {
        view.setLeader(new LeaderRef(URI.create(N1), "n1", 5));
        net.nodeAsync(N1, node(answer(FakeNetwork.leader("n1", N1, 6)), FakeNetwork.leader("n1", N1, 6),
                r -> net.after(Duration.ofMillis(250), Answers.json(200, WRITE_OK))));

        Caller.Served<Integer> served = caller.executeServed(put());

        assertThat(served.node()).isEqualTo(URI.create(N1));
        assertThat(writes()).as("re-elected itself: the attempt in flight is still the one to wait for").hasSize(1);
        assertThat(net.cancelled()).isEmpty();
    }

    @Test
    void afterConnectionRefusedTheBackoffEndsWhenALongPollNamesTheNewLeader() {
        view.setLeader(new LeaderRef(URI.create(N1), "n1", 5)); // n1 crashed: N1 refuses connections
        // 10 ms is below the shortest first backoff (25 ms)
        net.nodeAsync(N2, node(r -> net.after(Duration.ofMillis(10), FakeNetwork.leader("n2", N2, 6)),
                Answers.error(503, "no_leader"), answer(Answers.json(200, WRITE_OK))));
        net.nodeAsync(N3, node(hang(), Answers.error(503, "no_leader"), hang()));

        Caller.Served<Integer> served = caller.executeServed(put());

        assertThat(served.node()).isEqualTo(URI.create(N2));
        assertThat(writes()).extracting(CallerTest::host).containsExactly("127.0.0.11", "127.0.0.12");
        assertThat(writes().get(1).at()).isEqualTo(Duration.ofMillis(10));
        assertThat(net.requests()).as("the new leader is used directly").noneMatch(CallerTest::isDiscovery);
        assertThat(net.time.sleeps).isEmpty();
    }

    @Test
    void aDiscoveryHeldUpByAHungNodeEndsWhenALongPollNamesTheNewLeader() {
        view.setLeader(new LeaderRef(URI.create(N1), "n1", 5));
        // n1 hangs; its requests end only by their own timeout, the long-polls and discovery never
        net.nodeAsync(N1, r -> r.uri().getPath().startsWith("/v1/kv")
                ? net.after(r.timeout().orElseThrow(), Answers.failed(Outcome.FailureKind.TIMED_OUT))
                : FakeNetwork.never());
        // n2 wins the election at t = 500 ms: its long-poll (sent at the hedge delay) answers then
        net.nodeAsync(N2, node(r -> net.after(Duration.ofMillis(500).minus(AttemptWait.HEDGE_DELAY),
                        FakeNetwork.leader("n2", N2, 6)), Answers.error(503, "no_leader"),
                answer(Answers.json(200, WRITE_OK))));
        net.nodeAsync(N3, node(hang(), Answers.error(503, "no_leader"), hang()));

        Caller.Served<Integer> served = caller.executeServed(put());

        assertThat(served.node()).isEqualTo(URI.create(N2));
        assertThat(net.requests()).as("the write timed out, backed off, then discovery began")
                .anyMatch(CallerTest::isDiscovery);
        assertThat(writes().get(writes().size() - 1).at())
                .as("not at the end of the discovery round, 400 ms after it began")
                .isEqualTo(Duration.ofMillis(500));
        assertThat(net.requests()).filteredOn(CallerTest::isLongPoll).as("one shared round").hasSize(3);
    }

    @Test
    void withoutALeaderChangeTheFullBackoffStillApplies() {
        view.setLeader(new LeaderRef(URI.create(N1), "n1", 5));
        AtomicInteger writes = new AtomicInteger();
        // n1 is leader but briefly not serving, and stays leader: every long-poll names n1 of term 5
        net.nodeAsync(N1, node(answer(FakeNetwork.leader("n1", N1, 5)), FakeNetwork.leader("n1", N1, 5),
                r -> CompletableFuture.completedFuture(writes.incrementAndGet() == 1
                        ? Answers.error(503, "no_leader") : Answers.json(200, WRITE_OK))));
        net.nodeAsync(N2, node(answer(FakeNetwork.leader("n1", N1, 5)), FakeNetwork.leader("n1", N1, 5), hang()));
        net.nodeAsync(N3, node(answer(FakeNetwork.leader("n1", N1, 5)), FakeNetwork.leader("n1", N1, 5), hang()));

        Caller.Served<Integer> served = caller.executeServed(put());

        assertThat(served.node()).isEqualTo(URI.create(N1));
        assertThat(writes()).extracting(CallerTest::host).containsExactly("127.0.0.11", "127.0.0.11");
        assertThat(writes().get(1).at()).as("after the first backoff, 25 to 50 ms")
                .isBetween(Duration.ofMillis(25), Duration.ofMillis(50));
        assertThat(net.requests()).as("re-discovered after the backoff").anyMatch(CallerTest::isDiscovery);
    }

    @Test
    void aWriteAbandonedForANewLeaderThatThenRunsOutOfTimeHasAnUnknownOutcome() {
        view.setLeader(new LeaderRef(URI.create(N1), "n1", 5));
        net.nodeAsync(N1, hang());
        // n2 is the new leader but never serves within the deadline; its refusals are "not applied"
        net.nodeAsync(N2, node(answer(FakeNetwork.leader("n2", N2, 6)), FakeNetwork.leader("n2", N2, 6),
                answer(Answers.error(503, "no_leader"))));

        assertThatThrownBy(() -> caller.executeServed(put()))
                .isInstanceOf(OutcomeUnknownException.class)
                .hasMessageContaining("abandoned for a newer leader");
    }

    @Test
    void aReadAbandonedForANewLeaderThatThenRunsOutOfTimeHasNoLeader() {
        view.setLeader(new LeaderRef(URI.create(N1), "n1", 5));
        net.nodeAsync(N1, hang());
        net.nodeAsync(N2, node(answer(FakeNetwork.leader("n2", N2, 6)), FakeNetwork.leader("n2", N2, 6),
                answer(Answers.error(503, "no_leader"))));
        Call<Integer> get = new Call<>("get", "GET", "/v1/kv/k", null, false, "k", -1, null, Outcome.Answer::status, null);

        assertThatThrownBy(() -> caller.executeServed(get)).isInstanceOf(NoLeaderException.class);
    }

    @Test
    void findLeaderEndsItsBackoffWithTheFirstLeaderANodeReports() {
        net.nodeAsync(N1, node(r -> net.after(Duration.ofMillis(5), FakeNetwork.leader("n3", N3, 2)),
                Answers.error(503, "no_leader"), hang()));
        net.nodeAsync(N2, node(hang(), Answers.error(503, "no_leader"), hang()));
        net.nodeAsync(N3, node(hang(), Answers.error(503, "no_leader"), hang()));

        assertThat(caller.findLeader()).isEqualTo(new LeaderRef(URI.create(N3), "n3", 2));
        assertThat(net.time.nanoTime()).isEqualTo(Duration.ofMillis(5).toNanos());
        assertThat(net.requests()).filteredOn(CallerTest::isLongPoll)
                .allSatisfy(r -> assertThat(r.uri().getQuery()).startsWith("waitForTermAbove=0&"));
    }

    @Test
    void repeatedAttemptsAreCountedNotRepeated() {
        List<String> attempts = new ArrayList<>();
        Caller.note(attempts, "http://a:1: connection refused");
        Caller.note(attempts, "http://b:1: 503 no_leader: m");
        Caller.note(attempts, "http://a:1: connection refused");
        Caller.note(attempts, "http://a:1: connection refused");

        assertThat(attempts).containsExactly("http://a:1: connection refused (3x)", "http://b:1: 503 no_leader: m");
    }

    @Test
    void keepsOnlyTheMostRecentDistinctAttempts() {
        List<String> attempts = new ArrayList<>();
        for (int i = 0; i < Caller.MAX_ATTEMPTS_REPORTED + 3; i++) {
            Caller.note(attempts, "http://n" + i + ":1: connection refused");
        }

        assertThat(attempts).hasSize(Caller.MAX_ATTEMPTS_REPORTED).first().asString().startsWith("http://n3:1");
    }
}

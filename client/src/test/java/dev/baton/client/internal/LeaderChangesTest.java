package dev.baton.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The shared long-poll rounds, on a scripted cluster and the fake clock. */
class LeaderChangesTest {

    private static final String N1 = "http://127.0.0.11:8080";
    private static final String N2 = "http://127.0.0.12:8080";
    private static final String N3 = "http://127.0.0.13:8080";
    private static final Duration W = Duration.ofSeconds(5);

    private final FakeNetwork net = new FakeNetwork();
    private final ClusterView view = new ClusterView(List.of(URI.create(N1), URI.create(N2), URI.create(N3)));
    private final LeaderChanges changes = new LeaderChanges(net, view, W);

    private static LeaderRef ref(String id, String url, long term) {
        return new LeaderRef(URI.create(url), id, term);
    }

    @Test
    void firstAnswerNamingAHigherTermEndsTheRoundCachesTheLeaderAndCancelsTheOtherPolls() {
        net.nodeAsync(N1, r -> FakeNetwork.never()); // the old leader, hung
        net.nodeAsync(N2, r -> net.after(Duration.ofMillis(30), FakeNetwork.leader("n2", N2, 6)));
        net.nodeAsync(N3, r -> net.after(Duration.ofMillis(40), FakeNetwork.leader("n2", N2, 6)));

        CompletableFuture<Optional<LeaderRef>> change = changes.above(5);
        assertThat(change).isNotDone();
        net.time.advance(Duration.ofMillis(30));

        assertThat(change).isCompletedWithValue(Optional.of(ref("n2", N2, 6)));
        assertThat(view.leader()).contains(ref("n2", N2, 6));
        assertThat(net.cancelled()).extracting(r -> r.uri().getHost()).containsExactly("127.0.0.11", "127.0.0.13");
    }

    @Test
    void pollsAskForTermsAboveTheGivenOneAndOutliveTheNodesLongPollTime() {
        net.nodeAsync(N1, r -> FakeNetwork.never());

        changes.above(7);

        HttpRequest poll = net.requests().get(0);
        assertThat(poll.uri().toString()).isEqualTo(N1 + "/v1/leader?waitForTermAbove=7&timeoutMs=5000");
        assertThat(poll.timeout()).contains(W.plus(LeaderChanges.POLL_MARGIN));
        assertThat(net.requests()).hasSize(3);
    }

    @Test
    void answersNamingATermNotAboveTheGivenOneAreIgnored() {
        net.node(N1, r -> FakeNetwork.leader("n1", N1, 5)); // still believes in itself (term = T)
        net.node(N2, r -> FakeNetwork.leader("n1", N1, 4)); // long-poll timed out with older knowledge
        net.node(N3, r -> Answers.error(503, "no_leader"));

        CompletableFuture<Optional<LeaderRef>> change = changes.above(5);

        assertThat(change).as("every node answered, none with a newer leader").isCompletedWithValue(Optional.empty());
        assertThat(view.leader()).isEmpty();
    }

    @Test
    void answersWithoutAUsableUrlAreIgnored() {
        net.node(N1, r -> Answers.json(200, "{\"id\":\"n9\",\"url\":\"\",\"term\":9}"));
        net.node(N2, r -> Answers.json(200, "{\"id\":\"n9\",\"url\":\"ftp://x\",\"term\":9}"));
        net.node(N3, r -> Answers.json(200, "not json"));

        assertThat(changes.above(5)).isCompletedWithValue(Optional.empty());
    }

    @Test
    void concurrentWaitsForTheSameTermShareOneRound() {
        for (String node : List.of(N1, N2, N3)) {
            net.nodeAsync(node, r -> net.after(Duration.ofMillis(50), FakeNetwork.leader("n2", N2, 6)));
        }

        List<CompletableFuture<Optional<LeaderRef>>> waits = new ArrayList<>();
        for (int writer = 0; writer < 64; writer++) {
            waits.add(changes.above(5));
        }
        assertThat(net.requests("/v1/leader")).as("one poll per node, not per waiter").hasSize(3);

        waits.get(0).cancel(true); // one waiter giving up ends neither the round nor the other waits
        net.time.advance(Duration.ofMillis(50));

        assertThat(waits.subList(1, 64)).allSatisfy(w -> assertThat(w).isCompletedWithValue(Optional.of(ref("n2", N2, 6))));
        assertThat(net.cancelled()).as("the round ended at the first answer").hasSize(2);
    }

    @Test
    void anEndedRoundIsForgottenSoTheNextWaitAsksAgain() {
        net.node(N1, r -> Answers.error(503, "no_leader"));

        assertThat(changes.above(5)).isCompletedWithValue(Optional.empty());
        assertThat(changes.above(5)).isCompletedWithValue(Optional.empty());

        assertThat(net.requests("/v1/leader")).hasSize(6);
    }

    @Test
    void differentTermsHaveSeparateRounds() {
        net.nodeAsync(N1, r -> FakeNetwork.never());

        changes.above(5);
        changes.above(6);

        assertThat(net.requests("/v1/leader")).extracting(r -> r.uri().getQuery())
                .containsExactly("waitForTermAbove=5&timeoutMs=5000", "waitForTermAbove=5&timeoutMs=5000",
                        "waitForTermAbove=5&timeoutMs=5000", "waitForTermAbove=6&timeoutMs=5000",
                        "waitForTermAbove=6&timeoutMs=5000", "waitForTermAbove=6&timeoutMs=5000");
    }

    @Test
    void aCachedLeaderOfAHigherTermAnswersWithoutAsking() {
        view.setLeader(ref("n3", N3, 8));

        assertThat(changes.above(7)).isCompletedWithValue(Optional.of(ref("n3", N3, 8)));
        assertThat(net.requests()).isEmpty();
    }

    @Test
    void reportedAboveAsksTheNodesEvenWithACachedLeader() {
        view.setLeader(ref("n3", N3, 8));
        net.node(N1, r -> Answers.error(503, "no_leader"));

        assertThat(changes.reportedAbove(0)).isCompletedWithValue(Optional.empty());
        assertThat(net.requests()).hasSize(3);
    }

    @Test
    void aLateAnswerDoesNotReplaceANewerCachedLeader() {
        net.nodeAsync(N1, r -> net.after(Duration.ofMillis(10), FakeNetwork.leader("n2", N2, 6)));
        net.nodeAsync(N2, r -> FakeNetwork.never());
        net.nodeAsync(N3, r -> FakeNetwork.never());
        CompletableFuture<Optional<LeaderRef>> change = changes.above(5);

        view.setLeader(ref("n3", N3, 7)); // learned meanwhile, e.g. from a redirect
        net.time.advance(Duration.ofMillis(10));

        assertThat(change).isCompletedWithValue(Optional.of(ref("n2", N2, 6)));
        assertThat(view.leader()).contains(ref("n3", N3, 7));
    }

    @Test
    void closeEndsOpenRoundsAndCancelsTheirPolls() {
        net.nodeAsync(N1, r -> FakeNetwork.never());
        net.nodeAsync(N2, r -> FakeNetwork.never());
        net.nodeAsync(N3, r -> FakeNetwork.never());
        CompletableFuture<Optional<LeaderRef>> change = changes.above(5);

        changes.close();

        assertThat(change).isCompletedWithValue(Optional.empty());
        assertThat(net.cancelled()).hasSize(3);
        assertThat(changes.above(5)).isCompletedWithValue(Optional.empty());
        assertThat(net.requests()).hasSize(3);
    }
}

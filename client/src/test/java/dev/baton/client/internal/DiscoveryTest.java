package dev.baton.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Discovery rounds, on a scripted cluster and the fake clock. */
class DiscoveryTest {

    private static final String N1 = "http://127.0.0.11:8080";
    private static final String N2 = "http://127.0.0.12:8080";
    private static final String N3 = "http://127.0.0.13:8080";
    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    private final FakeNetwork net = new FakeNetwork();
    private final ClusterView view = new ClusterView(List.of(URI.create(N1), URI.create(N2), URI.create(N3)));
    private final Discovery discovery = new Discovery(net, view, net.time);

    /**
     * 64 calls that look for the active at once (a fresh client under load, or after the active
     * failed) ask each node once: over HTTPS every request may need a handshake, and 192 at once
     * outlasted the attempt timeout on a busy machine, so that no call ever got an answer.
     */
    @Test
    void callersThatLookWhileARoundRunsJoinIt() throws InterruptedException {
        for (String node : List.of(N1, N2, N3)) {
            net.nodeAsync(node, r -> net.after(Duration.ofMillis(100), FakeNetwork.leader("n2", N2, 6)));
        }
        List<Discovery.Result> joined = new ArrayList<>();
        for (int caller = 1; caller < 64; caller++) {
            // on the fake clock the others run while the first one waits
            net.time.after(Duration.ofMillis(caller), () -> {
                try {
                    joined.add(discovery.discover(TIMEOUT));
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            });
        }

        Discovery.Result first = discovery.discover(TIMEOUT);

        assertThat(net.requests("/v1/leader")).as("one request per node, not per caller").hasSize(3);
        assertThat(joined).hasSize(63).allSatisfy(r -> assertThat(r.leader()).isEqualTo(first.leader()));
        assertThat(first.leader()).contains(new LeaderRef(URI.create(N2), "n2", 6));
        assertThat(net.requests("/v1/status")).as("the member list is refreshed once per round").hasSize(1);
    }

    @Test
    void aRoundThatEndedIsNotJoinedSoTheNextCallAsksAgain() throws InterruptedException {
        net.node(N1, r -> Answers.error(503, "no_leader"));
        net.node(N2, r -> Answers.error(503, "no_leader"));
        net.node(N3, r -> Answers.error(503, "no_leader"));

        assertThat(discovery.discover(TIMEOUT).leader()).isEmpty();
        net.node(N2, r -> FakeNetwork.leader("n2", N2, 7));
        Optional<LeaderRef> second = discovery.discover(TIMEOUT).leader();

        assertThat(second).contains(new LeaderRef(URI.create(N2), "n2", 7));
        assertThat(net.requests("/v1/leader")).hasSize(6);
    }

    @Test
    void aRoundPastItsTimeIsNotJoinedEvenIfANodeNeverAnswered() throws InterruptedException {
        net.nodeAsync(N1, r -> FakeNetwork.never()); // hung
        net.node(N2, r -> Answers.error(503, "no_leader"));
        net.node(N3, r -> Answers.error(503, "no_leader"));

        discovery.discover(TIMEOUT);
        discovery.discover(TIMEOUT);

        assertThat(net.requests("/v1/leader")).as("the undecided first round had timed out").hasSize(6);
    }
}

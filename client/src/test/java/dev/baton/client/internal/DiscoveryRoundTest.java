package dev.baton.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.Test;

class DiscoveryRoundTest {

    private static final URI N1 = URI.create("http://127.0.0.11:8080");
    private static final URI N2 = URI.create("http://127.0.0.12:8080");
    private static final URI N3 = URI.create("http://127.0.0.13:8080");

    @Test
    void highestTermWinsOverAStaleLeaderThatStillBelievesInItself() {
        DiscoveryRound round = new DiscoveryRound(3);
        round.leader(N1, new LeaderRef(N1, "n1", 5)); // old leader resumed after a pause
        round.leader(N2, new LeaderRef(N2, "n2", 6));

        assertThat(round.best()).contains(new LeaderRef(N2, "n2", 6));
    }

    @Test
    void sameTermDisagreementIsSettledByMoreVotes() {
        DiscoveryRound round = new DiscoveryRound(3);
        round.leader(N1, new LeaderRef(N1, "n1", 4));
        round.leader(N2, new LeaderRef(N3, "n3", 4));
        round.leader(N3, new LeaderRef(N3, "n3", 4));

        assertThat(round.best()).contains(new LeaderRef(N3, "n3", 4));
    }

    @Test
    void decidedOnceAMajorityAnsweredAndNamedALeader() {
        DiscoveryRound round = new DiscoveryRound(3);
        round.leader(N1, new LeaderRef(N2, "n2", 2));
        assertThat(round.isDecided()).as("one of three is not a majority").isFalse();

        round.leader(N2, new LeaderRef(N2, "n2", 2));
        assertThat(round.isDecided()).as("the hung third node is not awaited").isTrue();
    }

    @Test
    void majorityWithoutLeaderWaitsForEveryNode() {
        DiscoveryRound round = new DiscoveryRound(3);
        round.noLeader(N1, "503 no_leader");
        round.noLeader(N2, "503 no_leader");
        assertThat(round.isDecided()).isFalse();

        round.failure(N3, "connection refused");
        assertThat(round.isDecided()).isTrue();
        assertThat(round.best()).isEmpty();
        assertThat(round.problems()).containsExactly(
                N1 + ": 503 no_leader", N2 + ": 503 no_leader", N3 + ": connection refused");
    }

    @Test
    void failuresDoNotCountTowardsTheMajority() {
        DiscoveryRound round = new DiscoveryRound(3);
        round.failure(N1, "connection refused");
        round.leader(N2, new LeaderRef(N2, "n2", 3));

        assertThat(round.isDecided()).isFalse();
        assertThat(round.best()).contains(new LeaderRef(N2, "n2", 3));
    }
}

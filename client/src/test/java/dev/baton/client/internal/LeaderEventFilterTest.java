package dev.baton.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.client.LeaderEvent;
import dev.baton.client.wire.LeaderInfo;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LeaderEventFilterTest {

    private final LeaderEventFilter filter = new LeaderEventFilter();

    private static LeaderEvent leader(String id, long term) {
        return LeaderEvent.leader(new LeaderInfo(id, "http://" + id + ":8080", term));
    }

    private List<LeaderEvent> delivered(LeaderEvent... events) {
        List<LeaderEvent> out = new ArrayList<>();
        for (LeaderEvent e : events) {
            if (filter.accept(e)) {
                out.add(e);
            }
        }
        return out;
    }

    @Test
    void eachTermOnceInOrderAcrossReconnects() {
        // stream from n1: term 3; it dies; n2's stream repeats term 3 (its current state), then 4
        assertThat(delivered(leader("n1", 3), leader("n1", 3), LeaderEvent.noLeader(3), leader("n2", 4)))
                .containsExactly(leader("n1", 3), LeaderEvent.noLeader(3), leader("n2", 4));
        // a lagging node still names the old leader: dropped
        assertThat(delivered(leader("n1", 3), LeaderEvent.noLeader(3), leader("n2", 4))).isEmpty();
        assertThat(filter.lastTerm()).isEqualTo(4);
    }

    @Test
    void noLeaderOnlyAfterALeaderAndNeverRepeated() {
        assertThat(delivered(LeaderEvent.noLeader(2), LeaderEvent.noLeader(2), LeaderEvent.noLeader(3)))
                .as("first state, then nothing until a leader")
                .containsExactly(LeaderEvent.noLeader(2));
        assertThat(delivered(leader("n1", 3), LeaderEvent.noLeader(2), LeaderEvent.noLeader(3), LeaderEvent.noLeader(4)))
                .as("an older term's no-leader is stale")
                .containsExactly(leader("n1", 3), LeaderEvent.noLeader(3));
    }

    @Test
    void electionAnnouncedInATermThenWonInTheSameTerm() {
        assertThat(delivered(leader("n1", 3), LeaderEvent.noLeader(4), leader("n2", 4)))
                .containsExactly(leader("n1", 3), LeaderEvent.noLeader(4), leader("n2", 4));
    }

    @Test
    void termsNeverGoBack() {
        assertThat(delivered(leader("n3", 9), leader("n2", 8), LeaderEvent.noLeader(8), leader("n1", 10)))
                .containsExactly(leader("n3", 9), leader("n1", 10));
    }
}

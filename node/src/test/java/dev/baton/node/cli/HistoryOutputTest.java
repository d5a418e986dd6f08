package dev.baton.node.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.client.wire.LeadershipTerm;
import java.util.List;
import org.junit.jupiter.api.Test;

class HistoryOutputTest {

    private static final long T0 = 1_764_000_000_000L; // 2025-11-24T16:00:00Z

    @Test
    void tableShowsIsoTimesGapsAndDurationsWithDashesForUnknowns() {
        String table = HistoryOutput.table(List.of(
                new LeadershipTerm(1, "n1", "startup", T0, T0 + 65_000, null, null, "switchover"),
                new LeadershipTerm(2, "n2", "switchover", T0 + 65_020, null, 20L, "n1", null)));
        assertThat(table.lines()).containsExactly(
                "TERM  LEADER  CAUSE       ACTIVE AT                 ENDED                              GAP   DURATION",
                "1     n1      startup     2025-11-24T16:00:00Z      2025-11-24T16:01:05Z (switchover)  -     1m5s",
                "2     n2      switchover  2025-11-24T16:01:05.020Z  -                                  20ms  -");
    }

    @Test
    void eventLineNamesCauseGapAndPreviousLeader() {
        assertThat(HistoryOutput.eventLine(new LeadershipTerm(7, "n2", "crash", T0, null, 184L, "n1", null)))
                .isEqualTo("term 7 leader n2 cause crash gap 184ms (previous n1)");
        assertThat(HistoryOutput.eventLine(new LeadershipTerm(1, "n1", "startup", T0, null, null, null, null)))
                .isEqualTo("term 1 leader n1 cause startup gap -");
    }

    @Test
    void longSpansAreShownInMinutesOrHours() {
        assertThat(HistoryOutput.ms(9_999L)).isEqualTo("9999ms");
        assertThat(HistoryOutput.ms(125_000L)).isEqualTo("2m5s");
        assertThat(HistoryOutput.ms(7_260_000L)).isEqualTo("2h1m");
    }
}

package dev.baton.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.bench.FailoverTrial.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Idle beside loaded: medians, p90, the ratio, the budget verdict only on the takeover as a whole. */
class FailoverComparisonTest {

    private static List<FailoverTrial> trials(boolean loaded, double... unavailableMs) {
        List<FailoverTrial> ts = new ArrayList<>();
        for (int i = 0; i < unavailableMs.length; i++) {
            FailoverTrial t = new FailoverTrial(Kind.CRASH, i + 1, loaded);
            t.unavailableMs = unavailableMs[i];
            t.newActiveLogMs = unavailableMs[i] - 50;
            t.firstCandidateLogMs = 10;
            t.faultCallMs = loaded ? 30 : 10; // a part that triples: no verdict on it
            ts.add(t);
        }
        return ts;
    }

    @Test
    @SuppressWarnings("unchecked")
    void ratiosAndTheBudgetVerdict() {
        List<FailoverTrial> idle = trials(false, 100, 200, 300, 400, 500, 600, 700, 800, 900, 1000);
        List<FailoverTrial> loaded = trials(true, 110, 220, 330, 440, 550, 660, 770, 880, 990, 1100);
        FailoverTrial failed = new FailoverTrial(Kind.CRASH, 11, true);
        failed.unavailableMs = 99_999;
        failed.error = "boom"; // failed trials do not count
        loaded.add(failed);

        Map<String, Object> json = FailoverComparison.print(Kind.CRASH, idle, loaded);

        Map<String, Object> unavailable = (Map<String, Object>) json.get("client unavailability");
        assertThat((Map<String, Object>) unavailable.get("idle")).containsEntry("p50", 500.0).containsEntry("p90", 900.0);
        assertThat((Map<String, Object>) unavailable.get("loaded")).containsEntry("n", 10).containsEntry("p50", 550.0);
        assertThat(unavailable).containsEntry("ratioP50", 1.1).containsEntry("withinBudgetP50", true);
        Map<String, Object> call = (Map<String, Object>) json.get("fault call (kill, exit)");
        assertThat(call).containsEntry("ratioP50", 3.0).doesNotContainKey("withinBudgetP50");
    }
}

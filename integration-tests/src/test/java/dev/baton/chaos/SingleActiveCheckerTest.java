package dev.baton.chaos;

import static dev.baton.chaos.RoleLogTest.line;
import static dev.baton.chaos.RoleLogTest.start;
import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.it.RoleLog;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Checker (3) over ACTIVE intervals, and the liveness measure of a fault. */
class SingleActiveCheckerTest {

    private static List<RoleLog.Interval> intervals(Map<String, String> logs) {
        return RoleLog.activeIntervals(logs, Map.of(), 1000);
    }

    @Test
    void handOverWithoutOverlapPasses() {
        var intervals = intervals(Map.of(
                "n1", start("n1") + line("n1", "ACTIVE", 1, "n1", 10) + line("n1", "FENCED", 1, "-", 100),
                "n2", start("n2") + line("n2", "STANDBY", 1, "n1", 10) + line("n2", "ACTIVE", 2, "n2", 150)));
        assertThat(SingleActiveChecker.check(intervals)).isEmpty();
    }

    @Test
    void overlappingActivesFail() {
        var intervals = intervals(Map.of(
                "n1", start("n1") + line("n1", "ACTIVE", 1, "n1", 10) + line("n1", "FENCED", 1, "-", 200),
                "n2", start("n2") + line("n2", "ACTIVE", 2, "n2", 150)));
        assertThat(SingleActiveChecker.check(intervals)).singleElement().satisfies(v ->
                assertThat(v.summary()).contains("two ACTIVE at once for").contains("n1 (term 1) and n2 (term 2)"));
    }

    @Test
    void reusedOrDecreasingTermFails() {
        var v = SingleActiveChecker.check(intervals(Map.of(
                "n1", start("n1") + line("n1", "ACTIVE", 3, "n1", 10) + line("n1", "FENCED", 3, "-", 100),
                "n2", start("n2") + line("n2", "ACTIVE", 3, "n2", 150) + line("n2", "FENCED", 3, "-", 200),
                "n3", start("n3") + line("n3", "ACTIVE", 2, "n3", 250))));
        // n2 reuses n1's term 3 (two findings: the term has two holders, and it does not follow n1's),
        // and n3's term 2 goes back
        assertThat(v).hasSize(3);
        assertThat(v).anySatisfy(x -> assertThat(x.summary()).contains("term 3 was ACTIVE on two nodes: n1 and n2"));
        assertThat(v).anySatisfy(x -> assertThat(x.summary()).contains("ACTIVE term 3 of n2 does not follow"));
        assertThat(v).anySatisfy(x -> assertThat(x.summary()).contains("ACTIVE term 2 of n3 does not follow"));
    }

    @Test
    void theSameNodeActiveAgainInItsOwnTermAfterALapsedLeasePasses() {
        assertThat(SingleActiveChecker.check(intervals(Map.of(
                "n1", start("n1") + line("n1", "ACTIVE", 3, "n1", 10) + line("n1", "FENCED", 3, "-", 100)
                        + line("n1", "ACTIVE", 3, "n1", 180) + line("n1", "FENCED", 3, "-", 300),
                "n2", start("n2") + line("n2", "ACTIVE", 4, "n2", 400))))).isEmpty();
    }

    @Test
    void livenessDelayAfterAHeal() {
        var intervals = intervals(Map.of(
                "n1", start("n1") + line("n1", "ACTIVE", 1, "n1", 10) + line("n1", "FENCED", 1, "-", 100),
                "n2", start("n2") + line("n2", "ACTIVE", 2, "n2", 400)));
        assertThat(new Fault(1, Fault.Kind.PAUSE, List.of("n1"), 50, 120, "").activeDelay(intervals)).isEqualTo(280);
        assertThat(new Fault(2, Fault.Kind.PAUSE, List.of("n1"), 50, 60, "").activeDelay(intervals)).isZero();
        var none = intervals(Map.of(
                "n1", start("n1") + line("n1", "ACTIVE", 1, "n1", 10) + line("n1", "FENCED", 1, "-", 100)));
        assertThat(new Fault(3, Fault.Kind.SPLIT, List.of("n1"), 50, 120, "").activeDelay(none)).isEqualTo(-1);
    }
}

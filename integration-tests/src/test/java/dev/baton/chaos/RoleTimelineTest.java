package dev.baton.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Role-log parsing, ACTIVE intervals, the single-ACTIVE checker and the liveness measure. */
class RoleTimelineTest {

    private static final String START = "=== 2026-11-25T21:00:00Z test harness starts n1: node --id n1\n";

    private static String line(String node, String role, long term, String leader, long mono) {
        return "[baton-role] INFO dev.baton.node.role.RoleTracker - " + node + " became " + role + " at term " + term
                + " (leader " + leader + ", mono " + mono + ")\n";
    }

    @Test
    void parsesTransitionsAndIncarnations() {
        String log = START + line("n1", "CANDIDATE", 0, "-", 10) + line("n1", "ACTIVE", 1, "n1", 20)
                + "n1 now follows leader n2 at term 1\n" + START + line("n1", "STANDBY", 2, "n2", 50);
        List<RoleTimeline.Transition> t = RoleTimeline.parse("n1", log);
        assertThat(t).extracting(RoleTimeline.Transition::role).containsExactly("CANDIDATE", "ACTIVE", "STANDBY");
        assertThat(t).extracting(RoleTimeline.Transition::incarnation).containsExactly(0, 0, 1);
        assertThat(t.get(1).term()).isEqualTo(1);
        assertThat(t.get(1).mono()).isEqualTo(20);
    }

    @Test
    void handOverWithoutOverlapPasses() {
        var intervals = RoleTimeline.activeIntervals(Map.of(
                "n1", RoleTimeline.parse("n1", START + line("n1", "ACTIVE", 1, "n1", 10) + line("n1", "FENCED", 1, "-", 100)),
                "n2", RoleTimeline.parse("n2", START + line("n2", "STANDBY", 1, "n1", 10) + line("n2", "ACTIVE", 2, "n2", 150))),
                Map.of(), 1000);
        assertThat(intervals).hasSize(2);
        assertThat(RoleTimeline.checkSingleActive(intervals)).isEmpty();
        assertThat(RoleTimeline.longestGap(intervals, 10, 1000)).isEqualTo(50);
    }

    @Test
    void overlappingActivesFail() {
        // n1 was paused: its lease expired at 200 (logged after SIGCONT), but n2 became ACTIVE at 150
        var intervals = RoleTimeline.activeIntervals(Map.of(
                "n1", RoleTimeline.parse("n1", START + line("n1", "ACTIVE", 1, "n1", 10) + line("n1", "FENCED", 1, "-", 200)),
                "n2", RoleTimeline.parse("n2", START + line("n2", "ACTIVE", 2, "n2", 150))),
                Map.of(), 1000);
        List<Violation> v = RoleTimeline.checkSingleActive(intervals);
        assertThat(v).hasSize(1);
        assertThat(v.get(0).summary()).contains("two ACTIVE at once").contains("n1").contains("n2");
    }

    @Test
    void killedActiveEndsAtTheKill() {
        // n1 never logged the end of its ACTIVE: it was killed at 140, before n2 took over at 150
        var transitions = Map.of(
                "n1", RoleTimeline.parse("n1", START + line("n1", "ACTIVE", 1, "n1", 10) + START + line("n1", "STANDBY", 2, "n2", 300)),
                "n2", RoleTimeline.parse("n2", START + line("n2", "ACTIVE", 2, "n2", 150)));
        assertThat(RoleTimeline.checkSingleActive(RoleTimeline.activeIntervals(transitions, Map.of("n1", List.of(140L)), 1000)))
                .isEmpty();
        // killed only at 160: overlap
        assertThat(RoleTimeline.checkSingleActive(RoleTimeline.activeIntervals(transitions, Map.of("n1", List.of(160L)), 1000)))
                .hasSize(1);
    }

    @Test
    void stillRunningActiveLastsToTheEndOfTheRun() {
        var intervals = RoleTimeline.activeIntervals(Map.of(
                "n1", RoleTimeline.parse("n1", START + line("n1", "ACTIVE", 1, "n1", 10)),
                "n2", RoleTimeline.parse("n2", START + line("n2", "ACTIVE", 2, "n2", 500))),
                Map.of(), 1000);
        assertThat(RoleTimeline.checkSingleActive(intervals)).hasSize(1);
    }

    @Test
    void reusedOrDecreasingTermFails() {
        var intervals = RoleTimeline.activeIntervals(Map.of(
                "n1", RoleTimeline.parse("n1", START + line("n1", "ACTIVE", 3, "n1", 10) + line("n1", "FENCED", 3, "-", 100)),
                "n2", RoleTimeline.parse("n2", START + line("n2", "ACTIVE", 3, "n2", 150) + line("n2", "FENCED", 3, "-", 200)),
                "n3", RoleTimeline.parse("n3", START + line("n3", "ACTIVE", 2, "n3", 250))),
                Map.of(), 1000);
        List<Violation> v = RoleTimeline.checkSingleActive(intervals);
        // n2 reuses n1's term 3 (two findings: the term has two holders, and it does not follow n1's),
        // and n3's term 2 goes back
        assertThat(v).hasSize(3);
        assertThat(v).anySatisfy(x -> assertThat(x.summary()).contains("term 3 was ACTIVE on two nodes: n1 and n2"));
        assertThat(v).anySatisfy(x -> assertThat(x.summary()).contains("ACTIVE term 2 of n3 does not follow"));
    }

    @Test
    void theSameNodeActiveAgainInItsOwnTermAfterALapsedLeasePasses() {
        var intervals = RoleTimeline.activeIntervals(Map.of(
                "n1", RoleTimeline.parse("n1", START + line("n1", "ACTIVE", 3, "n1", 10) + line("n1", "FENCED", 3, "-", 100)
                        + line("n1", "ACTIVE", 3, "n1", 180) + line("n1", "FENCED", 3, "-", 300)),
                "n2", RoleTimeline.parse("n2", START + line("n2", "ACTIVE", 4, "n2", 400))),
                Map.of(), 1000);
        assertThat(RoleTimeline.checkSingleActive(intervals)).isEmpty();
    }

    @Test
    void livenessDelayAfterAHeal() {
        var intervals = RoleTimeline.activeIntervals(Map.of(
                "n1", RoleTimeline.parse("n1", START + line("n1", "ACTIVE", 1, "n1", 10) + line("n1", "FENCED", 1, "-", 100)),
                "n2", RoleTimeline.parse("n2", START + line("n2", "ACTIVE", 2, "n2", 400))),
                Map.of(), 1000);
        assertThat(new Fault(1, Fault.Kind.PAUSE, List.of("n1"), 50, 120, "").activeDelay(intervals)).isEqualTo(280);
        assertThat(new Fault(2, Fault.Kind.PAUSE, List.of("n1"), 50, 60, "").activeDelay(intervals)).isZero();
        var none = RoleTimeline.activeIntervals(Map.of(
                "n1", RoleTimeline.parse("n1", START + line("n1", "ACTIVE", 1, "n1", 10) + line("n1", "FENCED", 1, "-", 100))),
                Map.of(), 1000);
        assertThat(new Fault(3, Fault.Kind.SPLIT, List.of("n1"), 50, 120, "").activeDelay(none)).isEqualTo(-1);
    }
}

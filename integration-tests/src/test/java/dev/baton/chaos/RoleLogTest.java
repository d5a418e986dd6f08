package dev.baton.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.it.RoleLog;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link RoleLog}, the one role-log parser: transitions, incarnations (restarts), the ends of ACTIVE
 * intervals (logged transition, recorded process end, restart, end of run) and overlaps. Lives in
 * the chaos package so that the checker tests run together; the parser is shared by it/ and bench/.
 */
class RoleLogTest {

    private static final String START = "=== 2026-11-25T21:00:00Z test harness starts n1: node --id n1\n";

    static String start(String node) {
        return "=== 2026-11-25T21:00:00Z test harness starts " + node + ": node --id " + node + "\n";
    }

    static String line(String node, String role, long term, String leader, long mono) {
        return "[baton-role] INFO dev.baton.node.role.RoleTracker - " + node + " became " + role + " at term " + term
                + " (leader " + leader + ", mono " + mono + ")\n";
    }

    static String follows(String node, String leader, long term) {
        return "[baton-role] INFO dev.baton.node.role.RoleTracker - " + node + " now follows leader " + leader + " at term "
                + term + "\n";
    }

    @Test
    void parsesTransitionsAndIncarnations() {
        String log = START + line("n1", "CANDIDATE", 0, "-", 10) + line("n1", "ACTIVE", 1, "n1", 20)
                + follows("n1", "n2", 1) + START + line("n1", "STANDBY", 2, "n2", 50);
        List<RoleLog.Transition> t = RoleLog.parse("n1", log);
        assertThat(t).extracting(RoleLog.Transition::role).containsExactly("CANDIDATE", "ACTIVE", "STANDBY");
        assertThat(t).extracting(RoleLog.Transition::incarnation).containsExactly(0, 0, 1);
        assertThat(t.get(1)).isEqualTo(new RoleLog.Transition("n1", 0, "ACTIVE", 1, "n1", 20));
        assertThat(t.get(2).leader()).isEqualTo("n2");
    }

    @Test
    void linesOfOtherNodesAndFollowLinesAreNotTransitions() {
        String log = START + "[main] INFO x - n2 became ACTIVE at term 4 (leader n2, mono 5)\n"
                + line("n1", "STANDBY", 4, "n2", 6) + follows("n1", "n3", 4);
        assertThat(RoleLog.parse("n1", log)).singleElement().satisfies(t -> assertThat(t.role()).isEqualTo("STANDBY"));
    }

    @Test
    void activeEndsAtTheNextTransitionOfItsIncarnation() {
        var intervals = RoleLog.activeIntervals(Map.of("n1",
                START + line("n1", "ACTIVE", 1, "n1", 10) + follows("n1", "n1", 1) + line("n1", "FENCED", 1, "-", 100)),
                Map.of(), 1000);
        assertThat(intervals).singleElement().satisfies(iv -> {
            assertThat(iv.start()).isEqualTo(10);
            assertThat(iv.end()).isEqualTo(100);
            assertThat(iv.endedBy()).isEqualTo("FENCED at term 1");
        });
    }

    @Test
    void overlappingActivesOfTwoNodesAreReported() {
        // n1 was paused: its lease expired at 200 (logged after SIGCONT), but n2 became ACTIVE at 150
        var intervals = RoleLog.activeIntervals(Map.of(
                "n1", START + line("n1", "ACTIVE", 1, "n1", 10) + line("n1", "FENCED", 1, "-", 200),
                "n2", start("n2") + line("n2", "STANDBY", 1, "n1", 20) + line("n2", "ACTIVE", 2, "n2", 150)
                        + line("n2", "FENCED", 2, "-", 400),
                "n3", start("n3") + line("n3", "ACTIVE", 3, "n3", 500)),
                Map.of(), 1000);
        assertThat(intervals).extracting(RoleLog.Interval::node).containsExactly("n1", "n2", "n3");
        assertThat(RoleLog.overlaps(intervals)).singleElement().satisfies(o -> {
            assertThat(o.a().node()).isEqualTo("n1");
            assertThat(o.b().node()).isEqualTo("n2");
            assertThat(o.nanos()).isEqualTo(50);
        });
    }

    @Test
    void handOverWithoutOverlapIsNotReported() {
        // touching intervals ([10, 150) and [150, ...)) do not overlap
        var intervals = RoleLog.activeIntervals(Map.of(
                "n1", START + line("n1", "ACTIVE", 1, "n1", 10) + line("n1", "STANDBY", 2, "n2", 150),
                "n2", start("n2") + line("n2", "ACTIVE", 2, "n2", 150)),
                Map.of(), 1000);
        assertThat(intervals).hasSize(2);
        assertThat(RoleLog.overlaps(intervals)).isEmpty();
    }

    @Test
    void killedActiveEndsWhenItsProcessEnded() {
        // n1 never logged the end of its ACTIVE: it was killed (seen dead at 140), n2 took over at 150
        Map<String, String> logs = Map.of(
                "n1", START + line("n1", "ACTIVE", 1, "n1", 10),
                "n2", start("n2") + line("n2", "ACTIVE", 2, "n2", 150));
        var ok = RoleLog.activeIntervals(logs, Map.of("n1", List.of(140L)), 1000);
        assertThat(ok.get(0).end()).isEqualTo(140);
        assertThat(ok.get(0).endedBy()).isEqualTo("process end");
        assertThat(RoleLog.overlaps(ok)).isEmpty();
        // seen dead only at 160: it may have been ACTIVE next to n2
        assertThat(RoleLog.overlaps(RoleLog.activeIntervals(logs, Map.of("n1", List.of(160L)), 1000))).hasSize(1);
        // no end recorded: ACTIVE to the end of the run
        assertThat(RoleLog.overlaps(RoleLog.activeIntervals(logs, Map.of(), 1000))).singleElement()
                .satisfies(o -> assertThat(o.a().endedBy()).isEqualTo("end of run"));
    }

    @Test
    void anEndRecordedBeforeTheActiveBeganBelongsToAnEarlierIncarnation() {
        var intervals = RoleLog.activeIntervals(Map.of("n1",
                START + line("n1", "ACTIVE", 1, "n1", 10) + START + line("n1", "ACTIVE", 3, "n1", 300)),
                Map.of("n1", List.of(500L, 100L)), 1000);
        assertThat(intervals).extracting(RoleLog.Interval::end).containsExactly(100L, 500L);
        assertThat(intervals).extracting(RoleLog.Interval::incarnation).containsExactly(0, 1);
    }

    @Test
    void restartEndsTheActiveOfThePreviousIncarnationEvenWithoutARecordedEnd() {
        // n1 died on its own while ACTIVE (no end recorded) and was restarted: its new incarnation's
        // first transition (STANDBY at 300) bounds the old ACTIVE, which does not run on into n2's term
        var intervals = RoleLog.activeIntervals(Map.of(
                "n1", START + line("n1", "ACTIVE", 1, "n1", 10) + START + line("n1", "STANDBY", 2, "n2", 300),
                "n2", start("n2") + line("n2", "ACTIVE", 2, "n2", 150)),
                Map.of(), 1000);
        RoleLog.Interval n1 = intervals.get(0);
        assertThat(n1.end()).isEqualTo(300);
        assertThat(n1.endedBy()).startsWith("restart");
        // the bound is late, never early: the unknown death may have come after n2 took over
        assertThat(RoleLog.overlaps(intervals)).hasSize(1);
        // a recorded end is tighter than the restart bound
        assertThat(RoleLog.overlaps(RoleLog.activeIntervals(Map.of(
                "n1", START + line("n1", "ACTIVE", 1, "n1", 10) + START + line("n1", "STANDBY", 2, "n2", 300),
                "n2", start("n2") + line("n2", "ACTIVE", 2, "n2", 150)),
                Map.of("n1", List.of(120L)), 1000))).isEmpty();
    }

    @Test
    void stillRunningActiveLastsToTheEndOfTheRun() {
        var intervals = RoleLog.activeIntervals(Map.of(
                "n1", START + line("n1", "ACTIVE", 1, "n1", 10),
                "n2", start("n2") + line("n2", "ACTIVE", 2, "n2", 500)),
                Map.of(), 1000);
        assertThat(intervals).extracting(RoleLog.Interval::end).containsExactly(1000L, 1000L);
        assertThat(RoleLog.overlaps(intervals)).hasSize(1);
    }

    @Test
    void gapsAndFirstActiveAfterAnInstant() {
        var intervals = RoleLog.activeIntervals(Map.of(
                "n1", START + line("n1", "ACTIVE", 1, "n1", 10) + line("n1", "FENCED", 1, "-", 100),
                "n2", start("n2") + line("n2", "ACTIVE", 2, "n2", 150) + line("n2", "FENCED", 2, "-", 600)),
                Map.of(), 1000);
        assertThat(RoleLog.longestGap(intervals, 10, 1000)).isEqualTo(400);
        assertThat(RoleLog.longestGap(intervals, 10, 600)).isEqualTo(50);
        assertThat(RoleLog.firstActiveAtOrAfter(intervals, 50)).isEqualTo(50);
        assertThat(RoleLog.firstActiveAtOrAfter(intervals, 120)).isEqualTo(150);
        assertThat(RoleLog.firstActiveAtOrAfter(intervals, 700)).isEqualTo(-1);
    }
}

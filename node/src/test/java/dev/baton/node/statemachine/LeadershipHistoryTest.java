package dev.baton.node.statemachine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The leadership history as the state machine applies, snapshots and restores it. */
class LeadershipHistoryTest {

    private static final long T0 = 1_764_000_000_000L;

    /** The first no-op of a leader that last heard {@code last} {@code sinceMs} ago ("" = none). */
    private static Command.Noop noop(long term, String leader, long atMs, String last, long sinceMs, boolean gone) {
        return new Command.Noop(term, leader, new LeaderFacts(atMs, last, last.isEmpty() ? -1 : sinceMs, gone, false));
    }

    private static List<TermRecord> terms(KvStateMachine sm) {
        return sm.history().newest(LeadershipHistory.MAX_TERMS);
    }

    @Test
    void recordsEachTermWithCauseGapAndTheEndOfThePreviousOne() {
        KvStateMachine sm = new KvStateMachine();
        sm.apply(noop(1, "n1", T0, "", 0, false));
        sm.apply(KvStateMachineTest.put("k", "v"));
        sm.apply(noop(2, "n2", T0 + 10_000, "n1", 180, true)); // n1 killed
        sm.apply(noop(2, "n2", T0 + 10_050, "n1", 230, true)); // a retried no-op of the same term changes nothing
        sm.apply(noop(4, "n3", T0 + 20_000, "n2", 900, false)); // n2 hung

        assertThat(terms(sm)).containsExactly(
                new TermRecord(1, "n1", TermCause.STARTUP, T0, T0 + 10_000 - 180, -1, null, null, false),
                new TermRecord(2, "n2", TermCause.CRASH, T0 + 10_000, T0 + 20_000 - 900, 180, "n1", null, false),
                new TermRecord(4, "n3", TermCause.SUSPECT, T0 + 20_000, -1, 900, "n2", null, false));
    }

    @Test
    void aLeaderThatWinsItsMajorityBackStartsASuspectTermAfterItsOwnLease() {
        KvStateMachine sm = new KvStateMachine();
        sm.apply(noop(1, "n1", T0, "", 0, false));
        sm.apply(noop(3, "n1", T0 + 5_000, "n1", 1_200, false)); // its facts name itself: gap from its lease end
        assertThat(terms(sm).get(1)).isEqualTo(new TermRecord(3, "n1", TermCause.SUSPECT, T0 + 5_000, -1, 1_200, "n1", null, false));
        assertThat(terms(sm).get(0).endedAtMs()).isEqualTo(T0 + 5_000 - 1_200);
    }

    @Test
    void handOversEndTheTermAndNameTheCauseOfTheNext() {
        KvStateMachine sm = new KvStateMachine();
        sm.apply(noop(1, "n1", T0, "", 0, false));
        sm.apply(new Command.Handover(1, "n2", true, T0 + 500)); // operator's switchover
        sm.apply(noop(2, "n2", T0 + 520, "n1", 15, false));
        sm.apply(new Command.Handover(2, "n3", false, T0 + 900)); // SIGTERM
        sm.apply(noop(3, "n3", T0 + 930, "n2", 20, false));

        List<TermRecord> t = terms(sm);
        assertThat(t).extracting(TermRecord::cause).containsExactly(TermCause.STARTUP, TermCause.SWITCHOVER, TermCause.HANDOVER);
        assertThat(t.get(0).endedAtMs()).isEqualTo(T0 + 500); // the old leader's own stamp, not the next one's estimate
        assertThat(t.get(0).endReason()).isEqualTo(TermCause.SWITCHOVER);
        assertThat(t.get(1).endedAtMs()).isEqualTo(T0 + 900);
        assertThat(t.get(1).endReason()).isEqualTo(TermCause.HANDOVER);
        assertThat(t.get(2).gapMs()).isEqualTo(20);
        assertThat(sm.control().approves("n2", 2)).as("only the operator's switchover approves its target").isTrue();
        assertThat(sm.control().approves("n3", 3)).isFalse();
    }

    @Test
    void aWaitingLeaderIsActivatedByApprovalOrTheEndOfMaintenance() {
        KvStateMachine sm = new KvStateMachine();
        sm.apply(noop(1, "n1", T0, "", 0, false));
        sm.apply(new Command.Noop(2, "n2", new LeaderFacts(T0 + 1_000, "n1", 300, true, true))); // manual mode
        assertThat(terms(sm).get(1).awaitingApproval()).isTrue();
        sm.apply(new Command.Approve(2, "n2", T0 + 60_000));
        assertThat(terms(sm).get(1)).satisfies(r -> {
            assertThat(r.cause()).isEqualTo(TermCause.PROMOTE);
            assertThat(r.activeAtMs()).isEqualTo(T0 + 60_000);
            assertThat(r.gapMs()).isEqualTo(300);
            assertThat(r.awaitingApproval()).isFalse();
        });

        sm.apply(new Command.SetMaintenance(true, 0, T0 + 70_000));
        sm.apply(new Command.Noop(3, "n3", new LeaderFacts(T0 + 80_000, "n2", 200, false, true)));
        sm.apply(new Command.Approve(2, "n2", T0 + 85_000)); // a late approval of an older term changes nothing
        assertThat(terms(sm).get(2).cause()).isEqualTo(TermCause.SUSPECT);
        sm.apply(new Command.SetMaintenance(false, 0, T0 + 90_000));
        assertThat(terms(sm).get(2).cause()).isEqualTo(TermCause.MAINTENANCE);
        assertThat(terms(sm).get(2).activeAtMs()).isEqualTo(T0 + 90_000);
        sm.apply(new Command.SetMaintenance(false, 0, T0 + 95_000)); // nothing waits any more
        assertThat(terms(sm).get(2).activeAtMs()).isEqualTo(T0 + 90_000);
    }

    @Test
    void keepsTheLastThousandTerms() {
        KvStateMachine sm = new KvStateMachine();
        for (int term = 1; term <= LeadershipHistory.MAX_TERMS + 250; term++) {
            sm.apply(noop(term, "n" + (term % 3), T0 + term * 1000L, term == 1 ? "" : "n" + ((term - 1) % 3), 100, true));
        }
        List<TermRecord> t = terms(sm);
        assertThat(t).hasSize(LeadershipHistory.MAX_TERMS);
        assertThat(t.get(0).term()).isEqualTo(251);
        assertThat(t.get(t.size() - 1).term()).isEqualTo(LeadershipHistory.MAX_TERMS + 250);
        assertThat(sm.history().newest(3)).extracting(TermRecord::term).containsExactly(1248L, 1249L, 1250L);
    }

    @Test
    void snapshotKeepsTheHistory() throws IOException {
        KvStateMachine sm = new KvStateMachine();
        sm.apply(noop(1, "n1", T0, "", 0, false));
        sm.apply(new Command.Handover(1, "n2", true, T0 + 500));
        sm.apply(noop(2, "n2", T0 + 520, "n1", 15, false));
        sm.apply(new Command.Noop(3, "n3", new LeaderFacts(T0 + 900, "n2", 40, false, true)));

        KvStateMachine restored = KvStateMachineTest.restore(KvStateMachineTest.snapshot(sm));
        assertThat(terms(restored)).isEqualTo(terms(sm)).hasSize(3);
        assertThat(restored.sameStateAs(sm)).isTrue();
        restored.apply(new Command.Approve(3, "n3", T0 + 1_000)); // the waiting flag survived too
        assertThat(terms(restored).get(2).cause()).isEqualTo(TermCause.PROMOTE);
        assertThat(restored.sameStateAs(sm)).as("a different history is a different state").isFalse();

        KvStateMachine.Capture capture = sm.capture(); // the background snapshot writes the same bytes
        var bytes = new java.io.ByteArrayOutputStream();
        capture.writeTo(new java.io.DataOutputStream(bytes));
        sm.release(capture);
        assertThat(bytes.toByteArray()).isEqualTo(KvStateMachineTest.snapshot(sm));
    }

    @Test
    void readsAVersion3SnapshotWithAnEmptyHistory() throws IOException {
        KvStateMachine sm = new KvStateMachine();
        sm.apply(KvStateMachineTest.put("a", "1"));
        sm.apply(new Command.Noop(5, "n2"));
        byte[] v4 = KvStateMachineTest.snapshot(sm);
        // version 3 is version 4 without the history at the end (here: an empty one, int 0)
        assertThat(ByteBuffer.wrap(v4, v4.length - 4, 4).getInt()).isZero();
        byte[] v3 = Arrays.copyOf(v4, v4.length - 4);
        ByteBuffer.wrap(v3).putInt(0, 3);

        KvStateMachine restored = new KvStateMachine();
        restored.apply(noop(1, "n1", T0, "", 0, false)); // replaced by the snapshot
        restored.readSnapshot(new DataInputStream(new ByteArrayInputStream(v3)));
        assertThat(restored.peek("a")).isEqualTo(KvStateMachineTest.b("1"));
        assertThat(restored.lastNoopTerm()).isEqualTo(5);
        assertThat(restored.history().size()).isZero();
        restored.apply(noop(6, "n3", T0, "n2", 100, true)); // recorded from the next term on
        assertThat(terms(restored)).extracting(TermRecord::cause).containsExactly(TermCause.CRASH);
    }

    @Test
    void anOldLogReplaysWithUnknownCausesAndOldMarkersIgnored() {
        KvStateMachine sm = new KvStateMachine();
        sm.apply(new Command.Noop(1, "n1")); // the old encoding: no facts
        sm.apply(new Command.Handover(1, "n2")); // old switchover entry: approved, unstamped
        sm.apply(new Command.Noop(1, "n1")); // old SIGTERM marker: a no-op of the old term
        sm.apply(new Command.Noop(2, "n2"));
        assertThat(terms(sm)).containsExactly(
                new TermRecord(1, "n1", TermCause.STARTUP, -1, -1, -1, null, TermCause.SWITCHOVER, false),
                new TermRecord(2, "n2", TermCause.UNKNOWN, -1, -1, -1, "n1", null, false));
        assertThat(sm.control().approves("n2", 2)).isTrue();
    }
}

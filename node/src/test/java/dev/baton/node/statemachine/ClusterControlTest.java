package dev.baton.node.statemachine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class ClusterControlTest {

    @Test
    void approvalIsForOneTerm() {
        KvStateMachine sm = new KvStateMachine();
        sm.apply(new Command.Approve(5, "n2"));
        assertThat(sm.control().approves("n2", 5)).isTrue();
        assertThat(sm.control().approves("n2", 6)).isFalse();
        sm.apply(new Command.Approve(3, "n1")); // an older approval never lowers it
        assertThat(sm.control().approvedTerm()).isEqualTo(5);
    }

    @Test
    void plannedHandoverApprovesItsTargetForTheNextTermOnly() {
        KvStateMachine sm = new KvStateMachine();
        sm.apply(new Command.Handover(4, "n3"));
        sm.apply(new Command.Noop(5, "n3")); // the target won term 5
        assertThat(sm.control().approves("n3", 5)).isTrue();
        sm.apply(new Command.Noop(6, "n1"));
        assertThat(sm.control().approves("n1", 6)).isFalse();
        sm.apply(new Command.Noop(7, "n3")); // a later election of the former target needs approval again
        assertThat(sm.control().approves("n3", 7)).isFalse();
        assertThat(sm.control().handoverTarget()).isNull();
    }

    @Test
    void plannedHandoverWonBySomeoneElseApprovesNobody() {
        KvStateMachine sm = new KvStateMachine();
        sm.apply(new Command.Handover(4, "n3"));
        sm.apply(new Command.Noop(5, "n2"));
        assertThat(sm.control().approves("n2", 5)).isFalse();
        sm.apply(new Command.Noop(6, "n3"));
        assertThat(sm.control().approves("n3", 6)).isFalse();
    }

    @Test
    void maintenanceWithAndWithoutExpiry() {
        KvStateMachine sm = new KvStateMachine();
        assertThat(sm.control().maintenanceAt(1_000)).isFalse();
        sm.apply(new Command.SetMaintenance(true, 0, 900));
        assertThat(sm.control().maintenanceAt(Long.MAX_VALUE - 1)).isTrue();
        sm.apply(new Command.SetMaintenance(true, 5_000, 1_000));
        assertThat(sm.control().maintenanceAt(4_999)).isTrue();
        assertThat(sm.control().maintenanceAt(5_000)).isFalse();
        sm.apply(new Command.SetMaintenance(false, 9_999, 2_000));
        assertThat(sm.control().maintenanceAt(3_000)).isFalse();
        assertThat(sm.control().maintenanceUntilEpochMs()).isZero();
    }

    @Test
    void controlCommandsDoNotTouchDataAndSurviveSnapshots() throws IOException {
        KvStateMachine sm = new KvStateMachine();
        sm.apply(new Command.Approve(2, "n1"));
        sm.apply(new Command.SetMaintenance(true, 123, 100));
        sm.apply(new Command.Handover(2, "n3"));
        assertThat(sm.revision()).isZero();
        KvStateMachine restored = KvStateMachineTest.restore(KvStateMachineTest.snapshot(sm));
        assertThat(restored.control()).isEqualTo(sm.control());
        assertThat(restored.sameStateAs(sm)).isTrue();
    }

    @Test
    void controlCommandsSurviveTheCodec() {
        for (Command c : new Command[] {new Command.Approve(9, "n2"), new Command.SetMaintenance(true, 77, 66), new Command.Handover(3, "n1")}) {
            byte[] b = CommandCodec.encode(c);
            assertThat(CommandCodec.decodeCommand(b, 0, b.length)).isEqualTo(c);
        }
    }
}

package dev.baton.node.statemachine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Why a term began, from the term before it and what its new leader knew. */
class TermCausesTest {

    private static final TermRecord N1 = new TermRecord(4, "n1", TermCause.STARTUP, 1_000, -1, -1, null, null, false);

    private static LeaderFacts heard(String who, boolean gone) {
        return new LeaderFacts(5_000, who, 120, gone, false);
    }

    @Test
    void aFreshClusterOrOneThatHeardNoLeaderStartsUp() {
        assertThat(TermCauses.classify(null, heard("", false))).isEqualTo(TermCause.STARTUP);
        assertThat(TermCauses.classify(N1, new LeaderFacts(5_000, "", -1, false, false)))
                .as("full restart: nobody heard since the process started").isEqualTo(TermCause.STARTUP);
    }

    @Test
    void aSilentLeaderIsACrashIfItsPortRefusedElseASuspicion() {
        assertThat(TermCauses.classify(N1, heard("n1", true))).isEqualTo(TermCause.CRASH);
        assertThat(TermCauses.classify(N1, heard("n1", false))).isEqualTo(TermCause.SUSPECT);
        // a leader elected after n1 that died before committing anything: still its silence
        assertThat(TermCauses.classify(N1, heard("n3", true))).isEqualTo(TermCause.CRASH);
        // an empty history just after an upgrade: the facts alone decide
        assertThat(TermCauses.classify(null, heard("n1", true))).isEqualTo(TermCause.CRASH);
        assertThat(TermCauses.classify(null, heard("n1", false))).isEqualTo(TermCause.SUSPECT);
    }

    @Test
    void aHandOverNamesItselfWhenTheNewLeaderHeardTheOldOneToTheEnd() {
        TermRecord switched = N1.ended(4_900, TermCause.SWITCHOVER);
        TermRecord handed = N1.ended(4_900, TermCause.HANDOVER);
        assertThat(TermCauses.classify(switched, heard("n1", false))).isEqualTo(TermCause.SWITCHOVER);
        assertThat(TermCauses.classify(handed, heard("n1", false))).isEqualTo(TermCause.HANDOVER);
        // the hand-over entry committed, but the cluster went down before the target took over
        assertThat(TermCauses.classify(handed, new LeaderFacts(5_000, "", -1, false, false))).isEqualTo(TermCause.STARTUP);
        // the target died mid-way and a third node took over after hearing from it
        assertThat(TermCauses.classify(handed, heard("n2", true))).isEqualTo(TermCause.CRASH);
    }

    @Test
    void entriesOfTheFormatBeforeHistoryHaveNoKnownCause() {
        assertThat(TermCauses.classify(N1, LeaderFacts.NONE)).isEqualTo(TermCause.UNKNOWN);
        assertThat(TermCauses.classify(null, LeaderFacts.NONE)).isEqualTo(TermCause.STARTUP);
    }

    @Test
    void wireNamesAreStable() {
        assertThat(TermCause.CRASH.wireName()).isEqualTo("crash");
        assertThat(TermCause.fromWire("switchover")).isEqualTo(TermCause.SWITCHOVER);
        assertThat(TermCause.fromWire("from-a-newer-build")).isEqualTo(TermCause.UNKNOWN);
    }
}

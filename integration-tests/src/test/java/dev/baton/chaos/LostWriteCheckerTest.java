package dev.baton.chaos;

import static dev.baton.chaos.Op.Outcome.FAIL;
import static dev.baton.chaos.Op.Outcome.OK;
import static dev.baton.chaos.Op.Outcome.UNKNOWN;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The lost-write checker's rules, one test each: what passes, and each way of losing a write. */
class LostWriteCheckerTest {

    /** x (rev 3) and y (rev 5) acknowledged, z of unknown outcome, w definitely failed. */
    private static final List<Op> HISTORY = List.of(
            Op.put(1, "a", "k", "x", OK, 3, 0, 1),
            Op.put(2, "a", "k", "y", OK, 5, 2, 3),
            Op.put(3, "b", "k", "z", UNKNOWN, -1, 4, 5),
            Op.put(4, "b", "k", "w", FAIL, -1, 6, 7));

    private static List<Violation> check(List<Op> history, String value, long revision) {
        return LostWriteChecker.check(history, List.of(new LostWriteChecker.FinalRead("k", value, revision)));
    }

    private static String onlySummary(List<Violation> v) {
        assertThat(v).hasSize(1);
        assertThat(v.get(0).checker()).isEqualTo("lost-write");
        return v.get(0).summary();
    }

    @Test
    void theLastAcknowledgedWritePasses() {
        assertThat(check(HISTORY, "y", 5)).isEmpty();
    }

    @Test
    void aLaterWriteOfUnknownOutcomePasses() {
        assertThat(check(HISTORY, "z", 9)).isEmpty();
    }

    @Test
    void theLastAcknowledgedWriteIsTheOneWithTheHighestRevisionNotTheLastInTheHistory() {
        // acknowledged out of order: y (rev 5) is listed before x (rev 3), so y is the one to keep
        List<Op> history = List.of(HISTORY.get(1), HISTORY.get(0));
        assertThat(check(history, "y", 5)).isEmpty();
        assertThat(onlySummary(check(history, "x", 3))).contains("older than an acknowledged write");
    }

    @Test
    void aKeyWithoutAcknowledgedWritesNeedsNothing() {
        assertThat(LostWriteChecker.check(List.of(HISTORY.get(2), HISTORY.get(3)), List.of())).isEmpty();
        assertThat(check(List.of(HISTORY.get(2)), null, 0)).isEmpty();
    }

    @Test
    void aKeyNotReadAtTheEndFails() {
        assertThat(onlySummary(LostWriteChecker.check(HISTORY, List.of()))).contains("was not read at the end");
    }

    @Test
    void anAbsentKeyFails() {
        assertThat(onlySummary(check(HISTORY, null, 0))).contains("is absent at the end");
    }

    @Test
    void aValueNoClientWroteFails() {
        assertThat(onlySummary(check(HISTORY, "garbage", 9))).contains("that no client wrote");
    }

    @Test
    void theValueOfADefinitelyFailedWriteFails() {
        assertThat(onlySummary(check(HISTORY, "w", 9))).contains("that no client wrote");
    }

    @Test
    void anOlderAcknowledgedValueFails() {
        assertThat(onlySummary(check(HISTORY, "x", 3))).contains("older than an acknowledged write");
    }

    @Test
    void anUnknownWriteAtARevisionBelowTheLastAcknowledgedFails() {
        assertThat(onlySummary(check(HISTORY, "z", 4))).contains("older than an acknowledged write");
    }

    @Test
    void anotherValueAtTheRevisionOfTheLastAcknowledgedWriteFails() {
        assertThat(onlySummary(check(HISTORY, "z", 5))).contains("older than an acknowledged write");
    }

    @Test
    void anAcknowledgedValueAtAnotherRevisionThanItsAcknowledgementFails() {
        List<Op> history = List.of(HISTORY.get(0), Op.put(2, "a", "k", "y", OK, 5, 2, 3));
        assertThat(onlySummary(check(history, "y", 7))).contains("but that write was acknowledged with revision 5");
    }
}

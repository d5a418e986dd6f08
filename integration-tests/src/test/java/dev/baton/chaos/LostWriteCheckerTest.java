package dev.baton.chaos;

import static dev.baton.chaos.Op.Outcome.FAIL;
import static dev.baton.chaos.Op.Outcome.OK;
import static dev.baton.chaos.Op.Outcome.UNKNOWN;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class LostWriteCheckerTest {

    private static final List<Op> HISTORY = List.of(
            Op.put(1, "a", "k", "x", OK, 3, 0, 1),
            Op.put(2, "a", "k", "y", OK, 5, 2, 3),
            Op.put(3, "b", "k", "z", UNKNOWN, -1, 4, 5),
            Op.put(4, "b", "k", "w", FAIL, -1, 6, 7));

    @Test
    void lastAcknowledgedWriteOrASuccessorPasses() {
        assertThat(LostWriteChecker.check(HISTORY, List.of(new LostWriteChecker.FinalRead("k", "y", 5)))).isEmpty();
        assertThat(LostWriteChecker.check(HISTORY, List.of(new LostWriteChecker.FinalRead("k", "z", 9)))).isEmpty();
    }

    @Test
    void olderValueIsALostWrite() {
        assertThat(LostWriteChecker.check(HISTORY, List.of(new LostWriteChecker.FinalRead("k", "x", 3))))
                .singleElement().satisfies(v -> assertThat(v.summary()).contains("older than an acknowledged write"));
    }

    @Test
    void absentKeyOrUnknownValueOrFailedWriteIsALostWrite() {
        assertThat(LostWriteChecker.check(HISTORY, List.of(new LostWriteChecker.FinalRead("k", null, 0)))).hasSize(1);
        assertThat(LostWriteChecker.check(HISTORY, List.of(new LostWriteChecker.FinalRead("k", "garbage", 9)))).hasSize(1);
        assertThat(LostWriteChecker.check(HISTORY, List.of(new LostWriteChecker.FinalRead("k", "w", 9)))).hasSize(1);
        assertThat(LostWriteChecker.check(HISTORY, List.of())).hasSize(1);
    }
}

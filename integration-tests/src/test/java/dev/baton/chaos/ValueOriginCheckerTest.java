package dev.baton.chaos;

import static dev.baton.chaos.Op.Outcome.FAIL;
import static dev.baton.chaos.Op.Outcome.OK;
import static dev.baton.chaos.Op.Outcome.UNKNOWN;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Only values some client wrote may be served; a value nobody wrote, or one whose write failed, is a damaged one. */
class ValueOriginCheckerTest {

    private static final List<Op> WRITES = List.of(
            Op.put(1, "a", "k", "x", OK, 3, 0, 1),
            Op.put(2, "b", "k", "z", UNKNOWN, -1, 2, 3),
            Op.cas(3, "b", "k", 3, "w", FAIL, 4, 4, 5),
            Op.put(4, "a", "j", "y", OK, 6, 6, 7));

    private static List<Op> with(Op... more) {
        List<Op> h = new java.util.ArrayList<>(WRITES);
        h.addAll(List.of(more));
        return h;
    }

    @Test
    void readsOfWrittenValuesAndAbsentKeysPass() {
        assertThat(ValueOriginChecker.check(with(Op.read(5, "c", "k", "x", 3, 8, 9), Op.read(6, "c", "k", "z", 7, 8, 9),
                Op.read(7, "c", "q", null, 0, 8, 9)), List.of(new ValueOriginChecker.Served("j", "y", "n2 stale"),
                new ValueOriginChecker.Served("k", null, "n3 stale")))).isEmpty();
    }

    @Test
    void aValueNobodyWroteIsADamagedValue() {
        List<Violation> v = ValueOriginChecker.check(with(Op.read(5, "c", "k", "x\u0001", 3, 8, 9)), List.of());
        assertThat(v).singleElement().satisfies(x -> {
            assertThat(x.checker()).isEqualTo("corrupt-value");
            assertThat(x.summary()).contains("key k").contains("no client wrote it");
            assertThat(x.detail()).contains("#5 c k read");
        });
    }

    @Test
    void aValueWrittenToAnotherKeyOnlyIsADamagedValueToo() {
        assertThat(ValueOriginChecker.check(WRITES, List.of(new ValueOriginChecker.Served("k", "y", "n1 stale read"))))
                .singleElement().satisfies(x -> assertThat(x.detail()).isEqualTo("n1 stale read"));
    }

    @Test
    void aValueWhoseWriteFailedMustNotBeServed() {
        assertThat(ValueOriginChecker.check(with(Op.read(5, "c", "k", "w", 4, 8, 9)), List.of()))
                .singleElement().satisfies(x -> assertThat(x.summary()).contains("reported as not applied"));
    }
}

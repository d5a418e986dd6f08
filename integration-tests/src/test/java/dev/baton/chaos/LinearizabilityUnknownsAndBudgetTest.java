package dev.baton.chaos;

import static dev.baton.chaos.Op.Outcome.FAIL;
import static dev.baton.chaos.Op.Outcome.OK;
import static dev.baton.chaos.Op.Outcome.UNKNOWN;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The linearizability checker's less travelled branches: operations of unknown outcome (a
 * compare-and-set, a write that was observed) and the search's work budget.
 */
class LinearizabilityUnknownsAndBudgetTest {

    private static final String K = "k";

    private static List<Violation> check(Op... ops) {
        return new LinearizabilityChecker().check(List.of(ops));
    }

    // ---- compare-and-set of unknown outcome ----

    @Test
    void unknownCasThatMatchedMayHaveTakenEffect() {
        assertThat(check(
                Op.put(1, "a", K, "x", OK, 1, 0, 1),
                Op.cas(2, "a", K, 1, "y", UNKNOWN, -1, 2, 3),
                Op.read(3, "b", K, "y", 2, 4, 5))).isEmpty();
    }

    @Test
    void unknownCasMayAlsoNeverHaveTakenEffect() {
        assertThat(check(
                Op.put(1, "a", K, "x", OK, 1, 0, 1),
                Op.cas(2, "a", K, 1, "y", UNKNOWN, -1, 2, 3),
                Op.read(3, "b", K, "x", 1, 4, 5),
                Op.put(4, "b", K, "z", OK, 3, 6, 7),
                Op.read(5, "b", K, "z", 3, 8, 9))).isEmpty();
    }

    @Test
    void unknownCasWhoseExpectedRevisionNeverHeldCannotHaveTakenEffect() {
        // the key is at revision 1 throughout; a CAS expecting revision 7 cannot have written y
        List<Violation> v = check(
                Op.put(1, "a", K, "x", OK, 1, 0, 1),
                Op.cas(2, "a", K, 7, "y", UNKNOWN, -1, 2, 3),
                Op.read(3, "b", K, "y", 2, 4, 5));
        assertThat(v).singleElement().satisfies(x -> assertThat(x.summary()).contains("not linearizable")
                .contains("stuck at #3"));
    }

    @Test
    void unobservedUnknownCasIsKeptWhenItExplainsAMismatch() {
        // nobody read y, but a CAS mismatch reports revision 2, which only y can have: y took effect
        assertThat(check(
                Op.put(1, "a", K, "x", OK, 1, 0, 1),
                Op.cas(2, "a", K, 1, "y", UNKNOWN, -1, 2, 3),
                Op.cas(3, "b", K, 1, "z", FAIL, 2, 4, 5))).isEmpty();
        // without a write of unknown outcome, nothing explains revision 2
        assertThat(check(
                Op.put(1, "a", K, "x", OK, 1, 0, 1),
                Op.cas(3, "b", K, 1, "z", FAIL, 2, 4, 5))).hasSize(1);
    }

    // ---- an observed write of unknown outcome ----

    @Test
    void observedUnknownWriteFollowedByAnOlderReadFails() {
        // y's outcome is unknown, but #3 saw it: it took effect by 5, so x cannot come back at 6
        List<Violation> v = check(
                Op.put(1, "a", K, "x", OK, 1, 0, 1),
                Op.put(2, "a", K, "y", UNKNOWN, -1, 2, 3),
                Op.read(3, "b", K, "y", 2, 4, 5),
                Op.read(4, "c", K, "x", 1, 6, 7));
        assertThat(v).singleElement().satisfies(x -> assertThat(x.summary()).contains("not linearizable")
                .contains("stuck at #4"));
    }

    @Test
    void olderReadConcurrentWithTheObservationPasses() {
        // the same reads, but overlapping in time: x then y is a valid order
        assertThat(check(
                Op.put(1, "a", K, "x", OK, 1, 0, 1),
                Op.put(2, "a", K, "y", UNKNOWN, -1, 2, 3),
                Op.read(3, "b", K, "y", 2, 4, 7),
                Op.read(4, "c", K, "x", 1, 5, 6))).isEmpty();
    }

    // ---- the work budget ----

    @Test
    void searchStopsWhenItsBudgetIsSpentAndSaysSo() {
        List<Op> ops = LinearizabilityCheckerTest.randomLinearizableHistory(3, 600);
        List<Op> sorted = new ArrayList<>(ops);
        sorted.sort(java.util.Comparator.comparingLong(Op::invokeNanos));
        boolean[] optional = new boolean[sorted.size()];
        for (int i = 0; i < optional.length; i++) {
            optional[i] = !sorted.get(i).required();
        }
        Map<String, Long> valueRevision = new HashMap<>();
        Map<Long, String> revisionValue = new HashMap<>();
        for (Op op : sorted) {
            String value = op.outcome() == OK ? (op.isWrite() ? op.value() : op.readValue()) : null;
            if (value != null) {
                valueRevision.put(value, op.revision());
                revisionValue.put(op.revision(), value);
            }
        }
        RegisterSearch search = new RegisterSearch(valueRevision, revisionValue);
        RegisterSearch.Outcome full = search.run(sorted, optional, null, Long.MAX_VALUE);
        assertThat(full.verdict()).isEqualTo(RegisterSearch.Verdict.LINEARIZABLE);
        long budget = full.statesExplored() / 2;
        RegisterSearch.Outcome cut = search.run(sorted, optional, null, budget);
        assertThat(cut.verdict()).isEqualTo(RegisterSearch.Verdict.BUDGET_EXHAUSTED);
        assertThat(cut.statesExplored()).isEqualTo(budget + 1);
    }

    @Test
    void checkerReportsAKeyWhoseSearchRanOutOfBudgetAsInconclusive() {
        List<Op> ops = LinearizabilityCheckerTest.randomLinearizableHistory(3, 600);
        LinearizabilityChecker generous = new LinearizabilityChecker();
        assertThat(generous.check(ops)).isEmpty();
        assertThat(generous.inconclusiveKeys()).isEmpty();

        LinearizabilityChecker tight = new LinearizabilityChecker(20);
        List<Violation> v = tight.check(ops);
        assertThat(tight.inconclusiveKeys()).containsExactly(K);
        assertThat(tight.results()).singleElement().satisfies(r -> {
            assertThat(r.verdict()).isEqualTo(RegisterSearch.Verdict.BUDGET_EXHAUSTED);
            assertThat(r.statesExplored()).isEqualTo(21);
        });
        assertThat(v).singleElement().satisfies(x ->
                assertThat(x.summary()).contains("search bound of 20 configurations exceeded"));
    }
}

package dev.baton.node.fencing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.node.fencing.HandoverPlan.Action;
import dev.baton.node.fencing.HandoverPlan.Progress;
import java.util.List;
import org.junit.jupiter.api.Test;

class HandoverPlanTest {

    private static final long STEP = 1_000;
    private final HandoverPlan plan = new HandoverPlan(7, "n2", 100, STEP);

    private static Progress leading(long targetMatch) {
        return new Progress(targetMatch, 7, "n1", true);
    }

    @Test
    void aCaughtUpTargetIsHandedTheTermStepByStep() {
        List<Action> first = plan.start(leading(100), 0);
        // the lease goes first: nothing is served while the hand-over runs
        assertThat(first.get(0)).isEqualTo(new Action.Surrender(7));
        assertThat(first).contains(new Action.Announce(7, "n2", 100));
        assertThat(plan.step()).isEqualTo(HandoverPlan.Step.HANDING_OVER);

        // the target took the hand-over entry: only then the election, so it has the longest log
        assertThat(plan.on(leading(101), 10)).contains(new Action.StartElection());
        assertThat(plan.step()).isEqualTo(HandoverPlan.Step.ELECTING);

        // the vote raised our term before the winner is known: keep waiting
        assertThat(plan.on(new Progress(101, 8, null, false), 20)).containsExactly(new Action.WakeAt(10 + 3 * STEP));
        List<Action> done = plan.on(new Progress(101, 8, "n2", false), 30);
        assertThat(done).containsExactly(new Action.EndTransfer(), new Action.Done(8));
        assertThat(plan.step()).isEqualTo(HandoverPlan.Step.DONE);
        assertThat(plan.on(new Progress(101, 9, "n3", false), 40)).isEmpty();
    }

    @Test
    void nothingIsAnnouncedBeforeTheTargetHasEveryEntry() {
        assertThat(plan.start(leading(90), 0)).containsExactly(new Action.Surrender(7), new Action.WakeAt(STEP));
        assertThat(plan.on(leading(99), 10)).noneMatch(a -> a instanceof Action.Announce);
        assertThat(plan.on(leading(100), 20)).contains(new Action.Announce(7, "n2", 100));
    }

    @Test
    void aMissedDeadlineReleasesTheFollowersAndLetsTheClusterChoose() {
        plan.start(leading(90), 0);
        List<Action> failed = plan.on(leading(95), STEP);
        assertThat(failed).containsSubsequence(new Action.EndTransfer(), new Action.ReleaseFollowers(7), new Action.StartElection());
        assertThat(failed.get(failed.size() - 1)).isInstanceOfSatisfying(Action.Failed.class,
                f -> assertThat(f.reason()).contains("n2 did not catch up to index 100"));
        assertThat(plan.step()).isEqualTo(HandoverPlan.Step.FAILED);
    }

    @Test
    void anotherWinnerFailsThePlanWithoutReleasingATermNoLongerHeld() {
        plan.start(leading(101), 0);
        List<Action> failed = plan.on(new Progress(101, 8, "n3", false), 10);
        assertThat(failed).noneMatch(a -> a instanceof Action.ReleaseFollowers);
        assertThat(failed).anySatisfy(a -> assertThat(a).isInstanceOfSatisfying(Action.Failed.class,
                f -> assertThat(f.reason()).contains("chose n3, not n2")));
    }

    @Test
    void losingLeadershipBeforeTheElectionFailsThePlan() {
        plan.start(leading(90), 0);
        assertThat(plan.on(new Progress(90, 8, null, false), 10)).anySatisfy(a -> assertThat(a).isInstanceOf(Action.Failed.class));
    }

    @Test
    void aPlanRunsOnce() {
        plan.start(leading(100), 0);
        assertThatThrownBy(() -> plan.start(leading(100), 1)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new HandoverPlan(7, "n2", 100, STEP).on(leading(100), 0)).isInstanceOf(IllegalStateException.class);
    }
}

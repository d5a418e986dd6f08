package dev.baton.node.fencing;

import java.util.ArrayList;
import java.util.List;

/**
 * One planned hand-over of leadership, as a pure step machine: an operator's switchover, the
 * hand-over of an ACTIVE that is stopping (SIGTERM), and a no-failover node handing its term on
 * all run this plan. Each observation ({@link Progress}) and the time go in; what to do comes out.
 *
 * <p>jgroups-raft 1.1.4 has no leadership transfer, and its election (run by the view
 * coordinator) picks the voter with the longest log. So the old leader (1) <b>surrenders</b> its
 * lease: it stops serving at once; (2) waits until the target has <b>caught up</b> to every entry it
 * has; (3) <b>announces</b> the switch point: the other followers accept no entry beyond it from
 * this leader in this term, and appends a hand-over entry that only the target takes, so the target
 * alone has the longest log; (4) once the target has it, asks for an <b>election</b>, in which it
 * reports its own log only up to the switch point; (5) is <b>done</b> when the target leads a newer
 * term. Any step past its deadline, or another node winning, <b>fails</b> the plan: the old
 * leader then releases the followers' promises and asks for an election, so the cluster simply
 * chooses again (the lease was surrendered first, so nothing is ever served twice).
 *
 * <p>Not thread-safe: one owner (the node's switchover thread) feeds it.
 */
public final class HandoverPlan {

    /** Where the plan stands. */
    public enum Step { CATCHING_UP, HANDING_OVER, ELECTING, DONE, FAILED }

    /**
     * What the old leader observes at one instant.
     *
     * @param targetMatchIndex the highest log index the target is known to hold (-1: unknown)
     * @param term this node's current term
     * @param leaderId the leader it knows in {@code term} (null: none)
     * @param selfLeads whether it is still the Raft leader of {@code term}
     */
    public record Progress(long targetMatchIndex, long term, String leaderId, boolean selfLeads) {}

    /** What the owner carries out, in order. */
    public sealed interface Action {
        /** Give up the lease of {@code term} now. */
        record Surrender(long term) implements Action {}

        /** Announce the switch point and append the hand-over entry only {@code target} takes. */
        record Announce(long term, String target, long lastIndex) implements Action {}

        /** Ask the view coordinator to run an election now. */
        record StartElection() implements Action {}

        /** Tell the followers this node gave up {@code term}: their promises no longer bind. */
        record ReleaseFollowers(long term) implements Action {}

        /** Report the log truthfully in votes again. */
        record EndTransfer() implements Action {}

        /** Observe again at {@code atNanos} at the latest (the current step's deadline). */
        record WakeAt(long atNanos) implements Action {}

        /** The target leads {@code term}. */
        record Done(long term) implements Action {}

        /** The plan failed; the cluster elects by itself. */
        record Failed(String reason) implements Action {}
    }

    /** The election may take this many steps: the coordinator's vote round after a view change, and the new leader's no-op. */
    private static final int ELECTION_STEPS = 3;

    /** The longest a plan can run before it is done or failed: catch-up, hand-over entry and election, each to its deadline. */
    public static long longestNanos(long stepNanos) {
        return (2 + ELECTION_STEPS) * stepNanos;
    }

    private final long term;
    private final String target;
    private final long lastIndex;
    private final long stepNanos;
    private Step step = Step.CATCHING_UP;
    private long deadline;
    private boolean started;

    /**
     * @param term the term this node leads and hands over
     * @param target the member that is to lead next
     * @param lastIndex the last index this node had appended when the plan began: the switch point
     * @param stepNanos how long the catch-up and the hand-over entry may each take; the election
     *     gets three times this
     */
    public HandoverPlan(long term, String target, long lastIndex, long stepNanos) {
        this.term = term;
        this.target = target;
        this.lastIndex = lastIndex;
        this.stepNanos = stepNanos;
    }

    public Step step() {
        return step;
    }

    /** The term being handed over. */
    public long term() {
        return term;
    }

    public String target() {
        return target;
    }

    /** Begins the plan at {@code now}: surrender first, then whatever {@code p} already allows. */
    public List<Action> start(Progress p, long now) {
        if (started) {
            throw new IllegalStateException("the hand-over of term " + term + " was already started");
        }
        started = true;
        List<Action> out = new ArrayList<>();
        out.add(new Action.Surrender(term));
        deadline = now + stepNanos;
        advance(p, now, out);
        return out;
    }

    /** An observation (the target's match index moved, a term or leader changed, or a deadline came). */
    public List<Action> on(Progress p, long now) {
        if (!started) {
            throw new IllegalStateException("the hand-over of term " + term + " has not started");
        }
        List<Action> out = new ArrayList<>();
        if (step == Step.DONE || step == Step.FAILED) {
            return out;
        }
        advance(p, now, out);
        return out;
    }

    private void advance(Progress p, long now, List<Action> out) {
        if (p.term() > term && p.leaderId() != null) {
            if (p.leaderId().equals(target)) {
                finish(Step.DONE, out);
                out.add(new Action.Done(p.term()));
            } else {
                fail(p, "the election after the hand-over chose " + p.leaderId() + ", not " + target, out);
            }
            return;
        }
        if (!p.selfLeads() && p.term() >= term && step != Step.ELECTING) {
            fail(p, "this node stopped leading term " + term + " before the election", out);
            return;
        }
        if (step == Step.CATCHING_UP && p.targetMatchIndex() >= lastIndex) {
            step = Step.HANDING_OVER;
            deadline = now + stepNanos;
            out.add(new Action.Announce(term, target, lastIndex));
        }
        if (step == Step.HANDING_OVER && p.targetMatchIndex() > lastIndex) {
            step = Step.ELECTING;
            deadline = now + ELECTION_STEPS * stepNanos;
            out.add(new Action.StartElection());
        }
        if (now - deadline >= 0) {
            fail(p, deadlineMissed(), out);
            return;
        }
        out.add(new Action.WakeAt(deadline));
    }

    private String deadlineMissed() {
        long ms = stepNanos / 1_000_000;
        return switch (step) {
            case CATCHING_UP -> target + " did not catch up to index " + lastIndex + " within " + ms + " ms";
            case HANDING_OVER -> target + " did not take the hand-over entry within " + ms + " ms";
            default -> "the election after the hand-over did not choose " + target + " within " + ELECTION_STEPS * ms + " ms";
        };
    }

    private void fail(Progress p, String reason, List<Action> out) {
        boolean stillLeads = p.selfLeads() && p.term() == term;
        finish(Step.FAILED, out);
        if (stillLeads) {
            // the lease is gone: release the promises (else the followers hold every vote for as long
            // as they hear from this node) and let the cluster choose again
            out.add(new Action.ReleaseFollowers(term));
            out.add(new Action.StartElection());
        }
        out.add(new Action.Failed(reason));
    }

    private void finish(Step end, List<Action> out) {
        step = end;
        out.add(new Action.EndTransfer());
    }
}

package dev.baton.node.statemachine;

/**
 * What a new leader knew, from its own clocks, when it proposed its term's first entry; travels
 * inside {@link Command.Noop} so that every replica classifies the term alike ({@link TermCauses}).
 *
 * @param proposedAtMs epoch ms on the new leader's wall clock when it proposed the entry
 * @param lastLeaderId the leader this node last heard from as a follower ("" if none since its process started)
 * @param sinceHeardMs ms on the new leader's monotonic clock from the last message it had from
 *     {@code lastLeaderId} to the proposal (-1 if none)
 * @param lastLeaderGone whether {@code lastLeaderId}'s transport port was seen refusing connections
 *     after that last message (its process is dead)
 * @param awaitingApproval whether the new leader had to wait for an operator's approval or the end
 *     of maintenance before becoming ACTIVE
 */
public record LeaderFacts(long proposedAtMs, String lastLeaderId, long sinceHeardMs, boolean lastLeaderGone,
        boolean awaitingApproval) {

    /** A no-op of the log format before history: nothing known. */
    public static final LeaderFacts NONE = new LeaderFacts(-1, "", -1, false, false);

    public boolean heardFrom(String leaderId) {
        return sinceHeardMs >= 0 && !lastLeaderId.isEmpty() && lastLeaderId.equals(leaderId);
    }
}

package dev.baton.node.statemachine;

/**
 * Classifies why a term began, from the replicated history (the term before it and how that one
 * ended) and the facts its leader carried in its first entry. Pure: the same inputs give the same
 * cause on every replica.
 */
public final class TermCauses {

    private TermCauses() {}

    /**
     * @param previous the latest term recorded before this one, or null (a fresh cluster)
     * @param newLeader the id of the new term's leader
     * @param facts what the new leader knew when it proposed its first entry
     */
    public static TermCause classify(TermRecord previous, String newLeader, LeaderFacts facts) {
        if (facts.proposedAtMs() < 0) {
            return previous == null ? TermCause.STARTUP : TermCause.UNKNOWN; // an entry of the format before history
        }
        if (previous == null) {
            return TermCause.STARTUP;
        }
        if (previous.endReason() == TermCause.SWITCHOVER || previous.endReason() == TermCause.HANDOVER) {
            return previous.endReason();
        }
        if (!facts.heardFrom(previous.leader())) {
            // this node never heard the old leader since it started: the whole cluster restarted (or
            // this node restarted into an election whose cause it cannot know; it then says startup too)
            return previous.leader().equals(newLeader) || facts.lastLeaderId().isEmpty() ? TermCause.STARTUP : TermCause.UNKNOWN;
        }
        return facts.lastLeaderGone() ? TermCause.CRASH : TermCause.SUSPECT;
    }
}

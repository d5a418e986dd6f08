package dev.baton.node.statemachine;

/**
 * Classifies why a term began, from the replicated history (the term before it and how that one
 * ended) and the facts its leader carried in its first entry. Pure: the same inputs give the same
 * cause on every replica.
 */
public final class TermCauses {

    private TermCauses() {}

    /**
     * @param previous the latest term recorded before this one, or null (a fresh cluster, or one upgraded from a version without history)
     * @param facts what the new leader knew when it proposed its first entry
     */
    public static TermCause classify(TermRecord previous, LeaderFacts facts) {
        if (facts.proposedAtMs() < 0) {
            return previous == null ? TermCause.STARTUP : TermCause.UNKNOWN; // an entry of the format before history
        }
        if (facts.lastLeaderId().isEmpty()) {
            // no leader heard since this node's process started: a fresh cluster or a full restart
            // (also a node restarted straight into an election: it cannot know why the last one ended)
            return TermCause.STARTUP;
        }
        if (previous != null && previous.endReason() != null && facts.heardFrom(previous.leader())) {
            return previous.endReason(); // the old leader handed over, and this node heard it to the end
        }
        // the last leader heard (the recorded one, one elected after it that never committed, or,
        // with an empty history just after an upgrade, one of the old version) went silent: dead if its port refused, else hung, paused or cut off
        return facts.lastLeaderGone() ? TermCause.CRASH : TermCause.SUSPECT;
    }
}

package dev.baton.node.fencing.sim;

/**
 * What simulated nodes send each other: the Raft messages of the election model and the fencing
 * messages of the core (LeaseHeader in production). Immutable.
 */
sealed interface SimMessage {

    /**
     * The leader's log up to its entry {@code index} of {@code term}: its no-op (which it commits
     * before it may serve, Raft §5.4.2) or a switchover's hand-over entry.
     */
    record AppendEntries(long term, long index) implements SimMessage {}

    /** A follower took the leader's log up to {@code index} in {@code term}. */
    record AppendReply(long term, long index) implements SimMessage {}

    /** Raft §5.2 RequestVote, with the candidate's last entry for the up-to-date check of §5.4.1. */
    record RequestVote(long term, long lastLogTerm, long lastLogIndex) implements SimMessage {}

    record VoteReply(long term, boolean granted) implements SimMessage {}

    record Ping(long term, long round) implements SimMessage {}

    record Ack(long term, long round) implements SimMessage {}

    record Stale(long term, long staleTerm) implements SimMessage {}

    record Release(long term) implements SimMessage {}

    record Transfer(long term, String target, long lastIndex) implements SimMessage {}

    /** Switchover: the old leader asks the target to run an election now (there: the view coordinator). */
    record StartElection(long term) implements SimMessage {}
}

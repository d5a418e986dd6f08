package dev.baton.node.fencing.sim;

/**
 * What simulated nodes send each other: the Raft messages of the election model and the fencing
 * messages of the core (LeaseHeader in production). Immutable.
 */
sealed interface SimMessage {

    /** The leader's entry of its term (the no-op it commits before it may serve, Raft §5.4.2). */
    record AppendEntries(long term) implements SimMessage {}

    /** A follower took the entry of {@code term}. */
    record AppendReply(long term) implements SimMessage {}

    /** Raft §5.2 RequestVote; {@code lastLogTerm} for the up-to-date check of §5.4.1. */
    record RequestVote(long term, long lastLogTerm) implements SimMessage {}

    record VoteReply(long term, boolean granted) implements SimMessage {}

    record Ping(long term, long round) implements SimMessage {}

    record Ack(long term, long round) implements SimMessage {}

    record Stale(long term, long staleTerm) implements SimMessage {}

    record Release(long term) implements SimMessage {}

    record Transfer(long term, String target, long lastIndex) implements SimMessage {}
}

package dev.baton.node.fencing;

/** What can happen to the fencing core of one node; see {@link FencingCore#on}. Immutable. */
public sealed interface FencingEvent {

    /** Every {@link FencingTiming#renewNanos}: the leader starts a lease round; held votes are looked at again. */
    record Tick(RaftFacts raft) implements FencingEvent {}

    /** A scheduled wake-up asked for by {@link FencingAction.WakeAt}: a held vote may be free now. */
    record Wake() implements FencingEvent {}

    /** Any message from the leader this node follows in {@code term}: its promise runs from now. */
    record HeardFromLeader(String leaderId, long term) implements FencingEvent {}

    /** A lease round {@code round} of {@code term} from {@code from}. */
    record PingReceived(String from, long term, long round, RaftFacts raft) implements FencingEvent {}

    /** {@code from} acknowledged lease round {@code round} of {@code term}. */
    record AckReceived(String from, long term, long round, RaftFacts raft) implements FencingEvent {}

    /** A member answered one of our lease rounds with its newer {@code term}: we lead no more. */
    record StaleReceived(long term, RaftFacts raft) implements FencingEvent {}

    /** The leader {@code from} gave up {@code term} (it fenced itself first). */
    record ReleaseReceived(String from, long term) implements FencingEvent {}

    /**
     * The leader {@code from} hands {@code term} over to {@code target}: it surrendered its lease,
     * and followers other than the target take no entry beyond {@code lastIndex} from it.
     */
    record TransferReceived(String from, long term, long lastIndex, String target, RaftFacts raft) implements FencingEvent {}

    /** A vote request from a candidate; {@code vote} is the adapter's handle to the message. */
    record VoteRequested(Object vote, String from) implements FencingEvent {}

    /** The answer to a {@link FencingAction.Probe}: whether the leader's port refused the connection. */
    record ProbeAnswered(String leaderId, boolean gone) implements FencingEvent {}

    /** A command of {@code term} submitted at {@code submittedNanos} committed: a majority had it after that instant. */
    record Committed(long term, long submittedNanos) implements FencingEvent {}

    /** This node gives up the lease of {@code term} at once (stepping down, switchover). */
    record Surrender(long term) implements FencingEvent {}

    /** After a surrender: tell the followers their promises no longer bind. */
    record ReleaseFollowers(long term) implements FencingEvent {}

    /** Old leader: announce a switchover of {@code term} to {@code target} at {@code lastIndex}. */
    record AnnounceTransfer(long term, String target, long lastIndex) implements FencingEvent {}

    /** Old leader: the switchover is over (done or failed); report the log truthfully again. */
    record EndTransfer() implements FencingEvent {}
}

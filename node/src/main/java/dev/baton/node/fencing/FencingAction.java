package dev.baton.node.fencing;

/** What the fencing core asks its adapter to do, in order; see {@link FencingCore#on}. Immutable. */
public sealed interface FencingAction {

    /** Multicast lease round {@code round} of {@code term} to the other members. */
    record SendPing(long term, long round) implements FencingAction {}

    /** Acknowledge lease round {@code round} of {@code term} to {@code to}. */
    record SendAck(String to, long term, long round) implements FencingAction {}

    /** Tell {@code to}, a leader of the older {@code staleTerm}, that the current term is {@code term}. */
    record SendStale(String to, long term, long staleTerm) implements FencingAction {}

    /** Multicast that this node gave up {@code term}. */
    record SendRelease(long term) implements FencingAction {}

    /** Multicast the switchover of {@code term} to {@code target} at {@code lastIndex}. */
    record SendTransfer(long term, String target, long lastIndex) implements FencingAction {}

    /**
     * Raise this node's Raft term to {@code term} with {@code leaderId} as its leader (null: no
     * leader known, e.g. stepping down as a stale leader). jgroups-raft tells nobody of a newer
     * term while idle; Raft's rule is that any message of a newer term updates the receiver.
     */
    record AdoptTerm(String leaderId, long term) implements FencingAction {}

    /** Pass the held (or just received) vote request on to the election protocol now. */
    record DeliverVote(Object vote, String from) implements FencingAction {}

    /**
     * A vote request is held back for {@code forNanos} by this node's promise to {@code promisedTo},
     * or (null) by this node's own lease or by the grant that follows its start.
     */
    record VoteHeld(String from, String promisedTo, long forNanos) implements FencingAction {}

    /** Send a {@link FencingEvent.Wake} at {@code atNanos}. */
    record WakeAt(long atNanos) implements FencingAction {}

    /** Probe {@code leaderId}'s transport port at {@code atNanos} and report a {@link FencingEvent.ProbeAnswered}. */
    record Probe(String leaderId, long atNanos) implements FencingAction {}
}

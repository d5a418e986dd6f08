package dev.baton.node.statemachine;

/**
 * A command of the replicated state machine. Every command, reads included, travels through the
 * Raft log, so applying the same log to the same snapshot gives the same state and answers on
 * every node (Raft §5.3, §8: linearizable reads through the log).
 *
 * <p>Writes may carry a client session ({@code clientId} non-empty, {@code seq} > 0): a write whose
 * (clientId, seq) was already applied is not applied again; its first answer is returned instead
 * (Raft dissertation §6.3).
 */
public sealed interface Command {

    /** Sets {@code key} to {@code value}; with {@code ifRevision >= 0} only if the key's revision equals it (0 = absent). */
    record Put(Session session, String key, byte[] value, long ifRevision) implements Command {}

    /** Removes {@code key}; with {@code ifRevision >= 0} only if the key's revision equals it. */
    record Delete(Session session, String key, long ifRevision) implements Command {}

    /** Reads one key. */
    record Get(String key) implements Command {}

    /** Reads up to {@code limit} keys starting with {@code prefix}, in key order. */
    record ListPrefix(String prefix, int limit) implements Command {}

    /**
     * Committed by a new leader before it reports ACTIVE: once it is applied, every entry of earlier
     * terms is applied too (Raft §5.4.2, §8).
     */
    record Noop(long term, String nodeId) implements Command {}

    /** An operator approved the leader of {@code term} to become ACTIVE (manual failover mode). */
    record Approve(long term, String nodeId) implements Command {}

    /**
     * Turns maintenance mode on or off cluster-wide. While on (and before {@code untilEpochMs}, if
     * not 0), no new leader becomes ACTIVE without an operator's approval. The times come from the
     * leader's wall clock when the command was submitted.
     */
    record SetMaintenance(boolean enabled, long untilEpochMs, long setAtEpochMs) implements Command {}

    /**
     * A planned switchover from the leader of {@code fromTerm} to {@code targetId}: the target,
     * elected in a later term, needs no approval.
     */
    record Handover(long fromTerm, String targetId) implements Command {}

    /** No compare-and-set condition. */
    long NO_REVISION_CHECK = -1;

    /**
     * A client's identity and the sequence number of one logical write. {@code ackedBelow}: every
     * sequence number below it has had its answer, so the state machine may forget them.
     */
    record Session(String clientId, long seq, long ackedBelow) {
        public static final Session NONE = new Session("", 0, 0);

        public boolean isNone() {
            return clientId.isEmpty();
        }
    }
}

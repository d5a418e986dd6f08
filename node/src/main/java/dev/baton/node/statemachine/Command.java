package dev.baton.node.statemachine;

import java.util.Objects;

/**
 * A command of the replicated state machine. Every command, reads included, travels through the
 * Raft log, so applying the same log to the same snapshot gives the same state and answers on
 * every node (Raft §5.3, §8: linearizable reads through the log).
 *
 * <p>Writes may carry a client session ({@code clientId} non-empty, {@code seq} > 0): a write whose
 * (clientId, seq) was already applied is not applied again; its first answer is returned instead
 * (Raft dissertation §6.3). The session id is one the state machine issued ({@link OpenSession});
 * a write naming any other (never opened, expired or evicted) is refused, never applied.
 *
 * <p>Time: the leader stamps writes and session openings with its wall clock when it submits them
 * ({@code atMs}); the state machine reads no clock, so expiry is decided by these stamps alike on
 * every replica.
 */
public sealed interface Command {

    /**
     * Sets {@code key} to {@code value}; with {@code ifRevision >= 0} only if the key's revision
     * equals it (0 = absent). {@code atMs}: the leader's time at submit, or {@link #UNSTAMPED}.
     */
    record Put(Session session, String key, byte[] value, long ifRevision, long atMs) implements Command {
        /** An entry of the log format before sessions were registered (see {@link #UNSTAMPED}). */
        public Put(Session session, String key, byte[] value, long ifRevision) {
            this(session, key, value, ifRevision, UNSTAMPED);
        }
    }

    /** Removes {@code key}; with {@code ifRevision >= 0} only if the key's revision equals it. */
    record Delete(Session session, String key, long ifRevision, long atMs) implements Command {
        /** An entry of the log format before sessions were registered (see {@link #UNSTAMPED}). */
        public Delete(Session session, String key, long ifRevision) {
            this(session, key, ifRevision, UNSTAMPED);
        }
    }

    /**
     * Registers a client session (Raft dissertation §6.3): the state machine answers with a new id
     * it never issued before. {@code nonce} (random, chosen by the leader) makes the id unguessable
     * and distinct from the ids of another cluster or of a cluster rebuilt from empty disks. The
     * session expires once unused for more than {@code timeoutMs} of log time; opening one while
     * {@code maxSessions} are live evicts the least recently used. Both limits travel in the
     * command, so every replica expires and evicts alike whatever its own configuration.
     */
    record OpenSession(long nonce, long timeoutMs, int maxSessions, long atMs) implements Command {}

    /** Reads one key. */
    record Get(String key) implements Command {}

    /**
     * Reads up to {@code limit} keys starting with {@code prefix} and greater than {@code after}
     * ("" for the first page), in key order.
     */
    record ListPrefix(String prefix, String after, int limit) implements Command {
        public ListPrefix {
            Objects.requireNonNull(prefix, "prefix");
            Objects.requireNonNull(after, "after");
        }

        /** The first page. */
        public ListPrefix(String prefix, int limit) {
            this(prefix, "", limit);
        }
    }

    /**
     * Committed by a new leader before it reports ACTIVE: once it is applied, every entry of earlier
     * terms is applied too (Raft §5.4.2, §8). Its {@code facts} make it the first entry of the term
     * in the {@link LeadershipHistory}.
     */
    record Noop(long term, String nodeId, LeaderFacts facts) implements Command {
        /** An entry of the log format before the leadership history: no facts. */
        public Noop(long term, String nodeId) {
            this(term, nodeId, LeaderFacts.NONE);
        }
    }

    /**
     * An operator approved the leader of {@code term} to become ACTIVE (manual failover mode);
     * {@code atMs}: the submitting node's wall clock, or {@link #UNSTAMPED}.
     */
    record Approve(long term, String nodeId, long atMs) implements Command {
        /** An entry of the log format before the leadership history. */
        public Approve(long term, String nodeId) {
            this(term, nodeId, UNSTAMPED);
        }
    }

    /**
     * Turns maintenance mode on or off cluster-wide. While on (and before {@code untilEpochMs}, if
     * not 0), no new leader becomes ACTIVE without an operator's approval. The times come from the
     * leader's wall clock when the command was submitted.
     */
    record SetMaintenance(boolean enabled, long untilEpochMs, long setAtEpochMs) implements Command {}

    /**
     * A hand-over from the leader of {@code fromTerm} to {@code targetId}, and the end of that term
     * in the {@link LeadershipHistory}. {@code approved}: an operator's switchover, whose target,
     * elected in a later term, needs no approval; else the old leader's own hand-over (SIGTERM,
     * no-failover). {@code atMs}: the old leader's wall clock when it submitted it, or {@link
     * #UNSTAMPED}.
     */
    record Handover(long fromTerm, String targetId, boolean approved, long atMs) implements Command {
        /** An entry of the log format before the leadership history: only operator switchovers wrote one. */
        public Handover(long fromTerm, String targetId) {
            this(fromTerm, targetId, true, UNSTAMPED);
        }
    }

    /**
     * Replaces the member table (see {@link MemberTable}) with {@code members}; {@code change} says
     * what changed ("add n4", "promote n4", "remove n2"), for the logs. The leader computes the
     * whole new table from the one applied, one member at a time.
     */
    record SetMembers(java.util.List<ClusterMember> members, String change) implements Command {
        public SetMembers {
            members = java.util.List.copyOf(members);
            Objects.requireNonNull(change, "change");
        }
    }

    /** No compare-and-set condition. */
    long NO_REVISION_CHECK = -1;

    /**
     * {@code atMs} of a write decoded from the entry types written before sessions were registered:
     * it does not move log time, and its session is a client-chosen id, de-duplicated as it was then
     * ({@link LegacySessionTable}), so that an old log replays to the same state.
     */
    long UNSTAMPED = -1;

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

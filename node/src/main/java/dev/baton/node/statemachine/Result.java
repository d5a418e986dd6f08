package dev.baton.node.statemachine;

import java.util.List;

/** The answer of applying one {@link Command}. */
public sealed interface Result {

    /** A write took effect (or, for a DELETE of a missing key, there was nothing to do: existed=false). */
    record Written(long revision, long previousRevision, boolean existed) implements Result {}

    /** A compare-and-set condition failed; nothing changed. {@code currentRevision} 0 = key absent. */
    record RevisionMismatch(long currentRevision) implements Result {}

    /** A GET found the key. */
    record Value(byte[] value, long revision) implements Result {}

    /** A GET found nothing. */
    record NotFound() implements Result {}

    /** A LIST answer, in key order. */
    /** Entries in key order; {@code more}: further keys with the prefix follow the last one. */
    record Listing(List<Entry> entries, boolean more) implements Result {
        public Listing(List<Entry> entries) {
            this(entries, false);
        }
    }

    /** A command that answers nothing but the global revision (NOOP). */
    record Done(long revision) implements Result {}

    /** A command the state machine refuses (e.g. a session sequence already forgotten); nothing changed. */
    record Rejected(String reason) implements Result {}

    /** A session was opened ({@link Command.OpenSession}). */
    record SessionOpened(String sessionId, long timeoutMs) implements Result {}

    /**
     * A write named a session the state machine does not know (never opened, expired or evicted):
     * not applied. Whether an earlier attempt of it was applied cannot be told any more.
     */
    record UnknownSession(String sessionId, String reason) implements Result {}

    /** One key of a listing. */
    record Entry(String key, byte[] value, long revision) {}
}

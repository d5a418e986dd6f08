package dev.baton.node.raft;

import java.lang.reflect.Field;
import org.jgroups.protocols.raft.AppendEntriesRequest;

/**
 * Reads {@code prev_log_index} of an AppendEntries request. jgroups-raft 1.1.4 keeps it in a
 * protected field with no getter (and the request's other public members do not carry it), so
 * reflection is the only way; a follower needs it to refuse entries beyond a switchover point
 * ({@link LeaseGuard}). Resolved once, at class initialisation: a jgroups-raft without the field
 * fails the node at start-up rather than silently skipping the check.
 */
final class EntryIndex {

    private static final Field PREV_LOG_INDEX;

    static {
        try {
            PREV_LOG_INDEX = AppendEntriesRequest.class.getDeclaredField("prev_log_index");
            PREV_LOG_INDEX.setAccessible(true);
        } catch (NoSuchFieldException e) {
            throw new ExceptionInInitializerError("jgroups-raft's AppendEntriesRequest has no prev_log_index: " + e);
        }
    }

    private EntryIndex() {}

    static long prevLogIndex(AppendEntriesRequest req) {
        try {
            return PREV_LOG_INDEX.getLong(req);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot read AppendEntriesRequest.prev_log_index", e);
        }
    }
}

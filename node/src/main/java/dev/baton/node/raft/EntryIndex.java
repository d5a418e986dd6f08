package dev.baton.node.raft;

import java.lang.reflect.Field;
import org.jgroups.protocols.raft.AppendEntriesRequest;

/**
 * Reads {@code prev_log_index} and {@code leader_commit} of an AppendEntries request. jgroups-raft 1.1.4 keeps it in a
 * protected field with no getter (and the request's other public members do not carry it), so
 * reflection is the only way; a follower needs it to refuse entries beyond a switchover point
 * ({@link LeaseGuard}). Resolved once, at class initialisation: a jgroups-raft without the field
 * fails the node at start-up rather than silently skipping the check.
 */
final class EntryIndex {

    private static final Field PREV_LOG_INDEX = field("prev_log_index");
    private static final Field LEADER_COMMIT = field("leader_commit");

    private static Field field(String name) {
        try {
            Field f = AppendEntriesRequest.class.getDeclaredField(name);
            f.setAccessible(true);
            return f;
        } catch (NoSuchFieldException e) {
            throw new ExceptionInInitializerError("jgroups-raft's AppendEntriesRequest has no " + name + ": " + e);
        }
    }

    private EntryIndex() {}

    static long prevLogIndex(AppendEntriesRequest req) {
        return read(PREV_LOG_INDEX, req);
    }

    /** The leader's commit index the request carries (a follower's measure of how far behind it is). */
    static long leaderCommit(AppendEntriesRequest req) {
        return read(LEADER_COMMIT, req);
    }

    private static long read(Field f, AppendEntriesRequest req) {
        try {
            return f.getLong(req);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot read AppendEntriesRequest." + f.getName(), e);
        }
    }
}

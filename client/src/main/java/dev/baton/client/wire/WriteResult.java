package dev.baton.client.wire;

/**
 * Answer of a committed PUT or DELETE. Sent only after the write is committed by a majority and
 * applied on the active node.
 *
 * @param revision the global revision of this write (for DELETE of a missing key: the current
 *     revision, and {@code existed} is false)
 * @param previousRevision the key's revision before this write, 0 if it did not exist
 * @param term the Raft term of the active that committed the write (the fencing token)
 */
public record WriteResult(String key, long revision, long previousRevision, boolean existed, long term) {}

package dev.baton.client;

import java.net.URI;

/**
 * A compare-and-set (or conditional delete) was rejected because the key's revision is not the
 * expected one. Nothing was changed.
 */
public final class RevisionMismatchException extends BatonException {

    private final String key;
    private final long expectedRevision;
    private final long currentRevision;

    public RevisionMismatchException(String key, long expectedRevision, long currentRevision, URI node) {
        super("revision mismatch on key '" + key + "' at " + node + ": expected revision " + expectedRevision
                + ", current revision is " + currentRevision + (currentRevision == 0 ? " (key absent)" : ""));
        this.key = key;
        this.expectedRevision = expectedRevision;
        this.currentRevision = currentRevision;
    }

    public String key() {
        return key;
    }

    /** The revision the caller expected (0 = must not exist). */
    public long expectedRevision() {
        return expectedRevision;
    }

    /** The key's revision on the active when the write was rejected; 0 if the key does not exist. */
    public long currentRevision() {
        return currentRevision;
    }
}

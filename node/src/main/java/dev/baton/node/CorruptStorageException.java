package dev.baton.node;

/**
 * A node's stored Raft log or snapshot failed its checksum or is malformed. The message names the
 * file, the byte offset and (for a log entry) the index, so start-up can print it as is. Thrown at
 * start-up instead of serving the data; {@code --repair-log} discards the bad part instead and the
 * leader sends it again.
 */
public final class CorruptStorageException extends RuntimeException {

    public CorruptStorageException(String message) {
        super(message);
    }

    /** The first {@code CorruptStorageException} in {@code e}'s cause chain, or null. */
    public static CorruptStorageException find(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof CorruptStorageException c) {
                return c;
            }
        }
        return null;
    }
}

package dev.baton.node;

/** A command was submitted on a node that is not the Raft leader (or stopped being it before commit). */
public final class NotLeaderException extends RuntimeException {
    public NotLeaderException(String message) {
        super(message);
    }
}

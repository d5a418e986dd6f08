package dev.baton.node;

/** A planned switchover did not complete; the message says at which step. The cluster elects a leader on its own. */
public final class TransferFailedException extends RuntimeException {
    public TransferFailedException(String message) {
        super(message);
    }
}

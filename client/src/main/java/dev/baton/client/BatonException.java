package dev.baton.client;

/**
 * Base of every error the Baton client throws. Unchecked: the client decides internally which
 * failures are worth retrying (within the call's deadline); what reaches the caller is final for
 * that call.
 *
 * <p>Thrown as-is (not a subtype) for answers the client did not expect, e.g. an {@code internal}
 * error of a node on a read, or a body it cannot parse. The message names the node and what went
 * wrong.
 */
public class BatonException extends RuntimeException {

    public BatonException(String message) {
        super(message);
    }

    public BatonException(String message, Throwable cause) {
        super(message, cause);
    }
}

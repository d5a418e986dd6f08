package dev.baton.client;

import java.net.URI;

/**
 * The node refused the request's credentials: 401 {@code unauthorized} (no token, or one the node
 * does not know: see {@code BatonClient.Builder#token}) or 403 {@code forbidden} (the token's role
 * does not allow this request; the message names the role needed). Not retried: the same token
 * would be refused again.
 */
public final class AccessDeniedException extends BatonException {

    private final int status;
    private final String errorCode;
    private final URI node;

    public AccessDeniedException(int status, String errorCode, String message, URI node) {
        super(node + " refused the request: " + status + " " + errorCode + ": " + message);
        this.status = status;
        this.errorCode = errorCode;
        this.node = node;
    }

    /** 401 or 403. */
    public int status() {
        return status;
    }

    /** {@code unauthorized} or {@code forbidden} (see {@code dev.baton.client.wire.ErrorCodes}). */
    public String errorCode() {
        return errorCode;
    }

    public URI node() {
        return node;
    }
}

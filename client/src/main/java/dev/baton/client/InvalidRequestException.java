package dev.baton.client;

import java.net.URI;

/**
 * The request itself is wrong (HTTP 400, or rejected by the client before sending): e.g. an empty,
 * over-long or malformed key ({@code invalid_key}) or a bad parameter ({@code invalid_parameter}).
 * Retrying the same request cannot succeed.
 */
public final class InvalidRequestException extends BatonException {

    private final String errorCode;
    private final URI node;

    /**
     * @param errorCode the API's error code (see {@code dev.baton.client.wire.ErrorCodes})
     * @param node the node that rejected the request, or null if the client rejected it before sending
     */
    public InvalidRequestException(String errorCode, String message, URI node) {
        super((node == null ? "" : node + " rejected the request: ") + errorCode + ": " + message);
        this.errorCode = errorCode;
        this.node = node;
    }

    /** The API's error code, e.g. {@code invalid_key}. */
    public String errorCode() {
        return errorCode;
    }

    /** The node that rejected the request, or null if the client rejected it before sending. */
    public URI node() {
        return node;
    }
}

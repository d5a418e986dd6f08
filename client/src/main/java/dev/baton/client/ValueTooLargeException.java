package dev.baton.client;

import java.net.URI;

/** The value is larger than the node's {@code --max-value-bytes}. Nothing was changed. */
public final class ValueTooLargeException extends BatonException {

    private final String key;
    private final int valueBytes;

    public ValueTooLargeException(String key, int valueBytes, URI node, String serverMessage) {
        super("value for key '" + key + "' (" + valueBytes + " bytes) rejected by " + node + " as too large"
                + (serverMessage == null || serverMessage.isBlank() ? "" : ": " + serverMessage));
        this.key = key;
        this.valueBytes = valueBytes;
    }

    public String key() {
        return key;
    }

    /** Size of the rejected value in bytes. */
    public int valueBytes() {
        return valueBytes;
    }
}

package dev.baton.node.statemachine;

/** Bytes that do not decode to a command or result of this version. */
public final class CodecException extends RuntimeException {
    public CodecException(String message) {
        super(message);
    }

    public CodecException(String message, Throwable cause) {
        super(message, cause);
    }
}

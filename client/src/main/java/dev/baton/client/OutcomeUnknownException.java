package dev.baton.client;

import java.util.List;

/**
 * A write whose outcome is unknown: at least one attempt reached a node and then failed without an
 * answer (timeout, broken connection, a node's {@code timeout} or {@code internal} error), and the
 * call ended (deadline, or an answer that cannot be interpreted safely, such as a retry refused
 * because the write's session expired on the cluster meanwhile) before an attempt confirmed it.
 * The write may or may not have been applied; read the key to find out.
 *
 * <p>Every attempt of one logical write carries the same session ({@code Baton-Client-Id}) and {@code
 * Baton-Request-Seq}, so the cluster applies it at most once.
 */
public final class OutcomeUnknownException extends BatonException {

    private final String key;
    private final List<String> attempts;

    public OutcomeUnknownException(String operation, String key, String reason, List<String> attempts, Throwable cause) {
        super(operation + " of key '" + key + "' has an unknown outcome (it may or may not have been applied): "
                        + reason + (attempts.isEmpty() ? "" : "; tried: " + String.join("; ", attempts)),
                cause);
        this.key = key;
        this.attempts = List.copyOf(attempts);
    }

    public String key() {
        return key;
    }

    /** One line per failed attempt, oldest first. */
    public List<String> attempts() {
        return attempts;
    }
}

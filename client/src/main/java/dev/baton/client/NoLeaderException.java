package dev.baton.client;

import java.util.List;

/**
 * No ACTIVE node could be found (or none answered) within the call's deadline. Nothing was
 * changed: a write that throws this was never applied (otherwise the client throws {@link
 * OutcomeUnknownException}). {@link #attempts()} says what was tried and what each node answered.
 */
public final class NoLeaderException extends BatonException {

    private final List<String> attempts;

    public NoLeaderException(String message, List<String> attempts) {
        super(message + (attempts.isEmpty() ? "" : "; tried: " + String.join("; ", attempts)));
        this.attempts = List.copyOf(attempts);
    }

    /** One line per failed attempt, e.g. {@code "http://127.0.0.11:8080: connection refused"}; oldest first. */
    public List<String> attempts() {
        return attempts;
    }
}

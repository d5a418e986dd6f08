package dev.baton.client.internal;

import dev.baton.client.BatonException;
import java.util.List;

/**
 * The cluster refused a write with {@code 410 session_expired}: its session is unknown there (it
 * expired, was evicted, or another cluster issued it). That attempt was not applied; an earlier
 * attempt of the same write may have been ({@link #mayHaveApplied()}), and then nothing can tell
 * any more, so the caller reports an unknown outcome. Thrown by {@link Caller} to {@code
 * BatonClient}, which decides.
 */
public final class SessionExpired extends BatonException {

    private final ClientSession session;
    private final boolean mayHaveApplied;
    private final List<String> attempts;

    public SessionExpired(ClientSession session, boolean mayHaveApplied, String described, List<String> attempts) {
        super(described);
        this.session = session;
        this.mayHaveApplied = mayHaveApplied;
        this.attempts = List.copyOf(attempts);
    }

    public ClientSession session() {
        return session;
    }

    public boolean mayHaveApplied() {
        return mayHaveApplied;
    }

    public List<String> attempts() {
        return attempts;
    }
}

package dev.baton.client.internal;

import java.util.function.Supplier;

/**
 * The client's current session: opened lazily before the first write, and again after the cluster
 * reported it expired. One open at a time: concurrent writers wait for it and share the session.
 *
 * <p>Thread-safe: one lock guards the current session; it is held while a session is opened, so
 * writers never open two at once (a session opened and never used would only expire, but it would
 * crowd the cluster's table).
 */
public final class Sessions {

    private ClientSession current; // guarded by this

    /**
     * The current session, opening one first with {@code opener} if there is none ({@code opener}
     * registers a session with the cluster: blocking, may throw; it names the write it opens for).
     */
    public synchronized ClientSession current(Supplier<ClientSession> opener) {
        if (current == null) {
            current = opener.get();
        }
        return current;
    }

    /** The cluster no longer knows {@code session}: the next {@link #current()} opens a new one (unless another writer did). */
    public synchronized void expired(ClientSession session) {
        if (current == session) {
            current = null;
        }
    }

    /** The current session's id, or null if none is open. */
    public synchronized String currentId() {
        return current == null ? null : current.id();
    }
}

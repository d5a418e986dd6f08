package dev.baton.client.internal;

import java.net.URI;
import java.util.Objects;

/**
 * The active as the client believes it: base URL, id (may be null if only a Location header named
 * it) and term (0 if unknown).
 */
public record LeaderRef(URI url, String id, long term) {

    public LeaderRef {
        Objects.requireNonNull(url, "url");
    }

    @Override
    public String toString() {
        return (id == null ? "?" : id) + " at " + url + " (term " + term + ")";
    }
}

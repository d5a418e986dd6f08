package dev.baton.client;

import java.net.URI;
import java.util.Objects;

/**
 * A read's value with where it came from and how fresh it is.
 *
 * @param value the value read ({@code Optional.empty()} for a missing key)
 * @param node base URL of the node that served the read
 * @param appliedIndex the node's applied log index when it answered, or -1 if it did not say
 * @param stalenessMs upper bound in ms on how far the node's replica was behind the active: 0 for
 *     a {@link Consistency#LINEARIZABLE} read and for a stale read served by the active; for a
 *     standby the time since it last heard from the leader; -1 if unknown (the node knew no leader)
 */
public record ReadResult<T>(T value, URI node, long appliedIndex, long stalenessMs) {

    public ReadResult {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(node, "node");
    }

    /** True if the node gave a bound on its staleness ({@code stalenessMs >= 0}). */
    public boolean stalenessKnown() {
        return stalenessMs >= 0;
    }
}

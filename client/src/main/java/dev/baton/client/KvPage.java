package dev.baton.client;

import dev.baton.client.wire.KvEntry;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One page of a listing ({@link BatonClient#listPage}): entries in key order, and, when the node cut
 * the listing at its limit, the key to pass as {@code after} for the next page.
 */
public record KvPage(List<KvEntry> entries, Optional<String> nextAfter) {

    public KvPage {
        entries = List.copyOf(entries);
        Objects.requireNonNull(nextAfter, "nextAfter");
    }

    /** Whether this page ends the listing (no keys with the prefix follow). */
    public boolean complete() {
        return nextAfter.isEmpty();
    }
}

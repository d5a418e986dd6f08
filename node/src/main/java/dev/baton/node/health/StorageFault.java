package dev.baton.node.health;

import java.util.Objects;

/**
 * Why this node cannot persist what Raft needs it to: which part of its storage failed, the error,
 * and since when (epoch ms, for people). Immutable.
 */
public record StorageFault(StorageHealth.Part part, String detail, long sinceEpochMs) {

    public StorageFault {
        Objects.requireNonNull(part, "part");
        Objects.requireNonNull(detail, "detail");
    }

    /** One line for people: {@code "log: appending entries 638..640 failed: No space left on device"}. */
    public String reason() {
        return part.label() + ": " + detail;
    }
}

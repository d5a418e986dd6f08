package dev.baton.client.internal;

import java.util.Objects;

/**
 * A session the cluster registered for this client ({@code POST /v1/sessions}) and the sequence
 * numbers of the writes sent in it; a new session starts again at 1. Thread-safe (the tracker is).
 *
 * @param id sent as {@code Baton-Client-Id}
 */
public record ClientSession(String id, SeqTracker seqs) {

    public ClientSession {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(seqs, "seqs");
    }

    public static ClientSession opened(String id) {
        return new ClientSession(id, new SeqTracker());
    }

    /** One write's place in this session: the number all its attempts send. */
    public record Seq(ClientSession session, long seq) {}
}

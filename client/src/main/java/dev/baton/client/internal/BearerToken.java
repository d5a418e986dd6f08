package dev.baton.client.internal;

import java.net.http.HttpRequest;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * The client's bearer token, added as {@code Authorization: Bearer <token>} to every request it
 * sends (calls, discovery, long-polls, status, the leader watch). Immutable; {@link #toString}
 * never shows the token, so it cannot reach a log by accident.
 */
public final class BearerToken {

    private final String header;

    /** @throws IllegalArgumentException if the token is empty or not printable ASCII without spaces */
    public BearerToken(String token) {
        Objects.requireNonNull(token, "token");
        String t = token.strip();
        if (t.isEmpty() || !t.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new IllegalArgumentException("token must be non-empty printable ASCII without spaces");
        }
        this.header = "Bearer " + t;
    }

    public HttpRequest.Builder apply(HttpRequest.Builder b) {
        return b.setHeader("Authorization", header);
    }

    /** {@code transport}, with the token added to every request. */
    public Transport wrap(Transport transport) {
        return new Transport() {
            @Override
            public CompletableFuture<Outcome> send(HttpRequest request) {
                return transport.send(apply(HttpRequest.newBuilder(request, (name, value) -> true)).build());
            }
        };
    }

    @Override
    public String toString() {
        return "BearerToken(***)";
    }
}

package dev.baton.client.internal;

import java.net.http.HttpRequest;
import java.util.concurrent.CompletableFuture;

/**
 * Sends one HTTP request, no redirects followed. The future never completes exceptionally: a
 * transport failure is an {@link Outcome.Failed}. Cancelling the future abandons the request
 * (its connection is closed, so a hung node does not keep it). Implementations are thread-safe. The
 * seam that lets unit tests script a cluster without sockets.
 */
public interface Transport {

    CompletableFuture<Outcome> send(HttpRequest request);
}

package dev.baton.client.internal;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;

/**
 * {@link Transport} over {@link HttpClient}: HTTP/1.1, redirects never followed by the JDK.
 * Cancelling a returned future aborts its exchange and closes the connection: futures derived from
 * {@code sendAsync}'s are cancelable too (JDK 16+), see {@code HttpTransportTest}.
 */
public final class HttpTransport implements Transport {

    private final HttpClient http;

    public HttpTransport(HttpClient http) {
        if (http.followRedirects() != HttpClient.Redirect.NEVER) {
            throw new IllegalArgumentException("the client handles redirects itself; use Redirect.NEVER");
        }
        this.http = http;
    }

    @Override
    public CompletableFuture<Outcome> send(HttpRequest request) {
        CompletableFuture<HttpResponse<byte[]>> sent;
        try {
            sent = http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(Outcome.Failed.of(e));
        }
        return sent.handle((response, error) -> error != null
                ? Outcome.Failed.of(error)
                : new Outcome.Answer(response.statusCode(), response.headers(), response.body()));
    }
}

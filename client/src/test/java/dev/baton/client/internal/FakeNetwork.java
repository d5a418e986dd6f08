package dev.baton.client.internal;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * A scripted cluster for tests, no sockets: each node URL maps to a function from request to
 * outcome; unknown nodes refuse connections. Answers arrive at once; a {@code TIMED_OUT} failure
 * advances the fake clock by the request's timeout, as a real one would take that long.
 */
public final class FakeNetwork implements Transport {

    /** A clock that only moves when slept on or advanced. */
    public static final class FakeTime implements Time {
        private long now;
        public final List<Duration> sleeps = new ArrayList<>();

        @Override
        public synchronized long nanoTime() {
            return now;
        }

        @Override
        public synchronized void sleep(Duration duration) {
            sleeps.add(duration);
            now += duration.toNanos();
        }

        public synchronized void advance(Duration duration) {
            now += duration.toNanos();
        }
    }

    public final FakeTime time = new FakeTime();
    private final Map<URI, Function<HttpRequest, Outcome>> nodes = new HashMap<>();
    private final List<HttpRequest> requests = new ArrayList<>();

    public synchronized FakeNetwork node(String url, Function<HttpRequest, Outcome> handler) {
        nodes.put(URI.create(url), handler);
        return this;
    }

    public synchronized List<HttpRequest> requests() {
        return List.copyOf(requests);
    }

    /** Requests whose path starts with {@code pathPrefix}, in order. */
    public synchronized List<HttpRequest> requests(String pathPrefix) {
        return requests.stream().filter(r -> r.uri().getPath().startsWith(pathPrefix)).toList();
    }

    @Override
    public CompletableFuture<Outcome> send(HttpRequest request) {
        Function<HttpRequest, Outcome> handler;
        synchronized (this) {
            requests.add(request);
            handler = nodes.get(NodeUrls.baseOf(request.uri()));
        }
        Outcome outcome = handler == null
                ? new Outcome.Failed(Outcome.FailureKind.NOT_SENT, "connection refused", null)
                : handler.apply(request);
        if (outcome instanceof Outcome.Failed f && f.kind() == Outcome.FailureKind.TIMED_OUT) {
            time.advance(request.timeout().orElseThrow());
        }
        return CompletableFuture.completedFuture(outcome);
    }

    /** Leader answer naming {@code id} at {@code url} in {@code term}. */
    public static Outcome leader(String id, String url, long term) {
        return Answers.json(200, "{\"id\":\"" + id + "\",\"url\":\"" + url + "\",\"term\":" + term + "}");
    }
}

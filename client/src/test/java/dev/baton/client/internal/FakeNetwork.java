package dev.baton.client.internal;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * A scripted cluster for tests, no sockets: each node URL maps to a function from request to
 * outcome (or to a future outcome, for answers that come later or never); unknown nodes refuse
 * connections. Plain answers arrive at once; a {@code TIMED_OUT} failure arrives when the fake
 * clock reaches the request's timeout, as a real one would.
 */
public final class FakeNetwork implements Transport {

    /**
     * A clock that only moves when slept on, awaited on or advanced. Actions scheduled with {@link
     * #after} run on the thread that moves the clock past their time, in time order, so a test is
     * one deterministic sequence of events.
     */
    public static final class FakeTime implements Time {
        private record Event(long at, long order, Runnable action) {}

        private long now;
        private long scheduled;
        private final PriorityQueue<Event> events =
                new PriorityQueue<>(Comparator.comparingLong(Event::at).thenComparingLong(Event::order));
        public final List<Duration> sleeps = new ArrayList<>();

        @Override
        public synchronized long nanoTime() {
            return now;
        }

        @Override
        public void sleep(Duration duration) {
            long end;
            synchronized (this) {
                sleeps.add(duration);
                end = now + duration.toNanos();
            }
            runUntil(end);
        }

        /** Runs due actions until {@code future} is done or {@code timeout} has passed on this clock. */
        @Override
        public boolean await(Future<?> future, Duration timeout) {
            long end;
            synchronized (this) {
                end = now + Math.max(0, timeout.toNanos());
            }
            while (!future.isDone()) {
                Event next = nextDue(end);
                if (next == null) {
                    return future.isDone();
                }
                next.action().run();
            }
            return true;
        }

        public void advance(Duration duration) {
            long end;
            synchronized (this) {
                end = now + duration.toNanos();
            }
            runUntil(end);
        }

        /** Runs {@code action} once the clock has moved {@code delay} past now. */
        public synchronized void after(Duration delay, Runnable action) {
            events.add(new Event(now + delay.toNanos(), scheduled++, action));
        }

        private void runUntil(long end) {
            for (Event next = nextDue(end); next != null; next = nextDue(end)) {
                next.action().run();
            }
        }

        /** Removes the next action due by {@code end} and moves the clock to it; else moves the clock to {@code end}. */
        private synchronized Event nextDue(long end) {
            Event next = events.peek();
            if (next == null || next.at() > end) {
                now = Math.max(now, end);
                return null;
            }
            events.poll();
            now = Math.max(now, next.at());
            return next;
        }
    }

    /** A request and the fake time it was sent at. */
    public record Sent(Duration at, HttpRequest request) {}

    public final FakeTime time = new FakeTime();
    private final Map<URI, Function<HttpRequest, CompletableFuture<Outcome>>> nodes = new HashMap<>();
    private final List<Sent> sent = new ArrayList<>();
    private final List<HttpRequest> cancelled = new ArrayList<>();

    public FakeNetwork node(String url, Function<HttpRequest, Outcome> handler) {
        return nodeAsync(url, r -> {
            Outcome outcome = handler.apply(r);
            if (outcome instanceof Outcome.Failed f && f.kind() == Outcome.FailureKind.TIMED_OUT) {
                return after(r.timeout().orElseThrow(), outcome);
            }
            return CompletableFuture.completedFuture(outcome);
        });
    }

    /** A node whose answers may come later ({@link #after}) or never ({@link #never}). */
    public synchronized FakeNetwork nodeAsync(String url, Function<HttpRequest, CompletableFuture<Outcome>> handler) {
        nodes.put(URI.create(url), handler);
        return this;
    }

    /** An outcome that arrives once the fake clock has moved {@code delay} past now. */
    public CompletableFuture<Outcome> after(Duration delay, Outcome outcome) {
        CompletableFuture<Outcome> future = new CompletableFuture<>();
        time.after(delay, () -> future.complete(outcome));
        return future;
    }

    /** The answer of a hung node (SIGSTOP): none, ever, not even a timeout. */
    public static CompletableFuture<Outcome> never() {
        return new CompletableFuture<>();
    }

    public synchronized List<HttpRequest> requests() {
        return sent.stream().map(Sent::request).toList();
    }

    /** Requests whose path starts with {@code pathPrefix}, in order. */
    public synchronized List<HttpRequest> requests(String pathPrefix) {
        return requests().stream().filter(r -> r.uri().getPath().startsWith(pathPrefix)).toList();
    }

    /** Every request with the fake time it was sent at, in order. */
    public synchronized List<Sent> sent() {
        return List.copyOf(sent);
    }

    /** Requests whose pending answer the client cancelled, in order. */
    public synchronized List<HttpRequest> cancelled() {
        return List.copyOf(cancelled);
    }

    @Override
    public CompletableFuture<Outcome> send(HttpRequest request) {
        Function<HttpRequest, CompletableFuture<Outcome>> handler;
        synchronized (this) {
            sent.add(new Sent(Duration.ofNanos(time.nanoTime()), request));
            handler = nodes.get(NodeUrls.baseOf(request.uri()));
        }
        CompletableFuture<Outcome> answer = handler == null
                ? CompletableFuture.completedFuture(new Outcome.Failed(Outcome.FailureKind.NOT_SENT, "connection refused", null))
                : handler.apply(request);
        // a copy, so that the client's cancel ends this request only, as with a real transport
        CompletableFuture<Outcome> result = answer.copy();
        result.whenComplete((outcome, error) -> {
            if (error instanceof CancellationException) {
                synchronized (this) {
                    cancelled.add(request);
                }
            }
        });
        return result;
    }

    /** Leader answer naming {@code id} at {@code url} in {@code term}. */
    public static Outcome leader(String id, String url, long term) {
        return Answers.json(200, "{\"id\":\"" + id + "\",\"url\":\"" + url + "\",\"term\":" + term + "}");
    }
}

package dev.baton.client.internal;

import dev.baton.client.LeaderEvent;
import dev.baton.client.LeaderListener;
import dev.baton.client.wire.LeaderInfo;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One leadership watch: a daemon thread that holds a {@code GET /v1/leader/watch} event stream
 * open to one node at a time, parses it ({@link SseParser}), filters the events ({@link
 * LeaderEventFilter}) and calls the listener.
 *
 * <p>Threads: the watch thread owns the parser, the filter and every listener call. The HTTP
 * client's threads only put lines into a queue, which the watch thread drains; so events are
 * delivered one at a time, in stream order, on the watch thread.
 *
 * <p>Reconnects: when the stream fails to open, ends, breaks, or stays silent for {@code
 * idleTimeout} (nodes send {@code : keepalive} every 10 s, so silence means a hung node or a dead
 * path), the watch moves to the next known node (round-robin, the last known active last, as a
 * standby keeps streaming when the active hangs), after a backoff that restarts once a stream
 * delivered an event. Every stream starts with the node's current state, so nothing the cluster
 * still knows is missed; the filter drops what was already delivered.
 */
public final class LeaderWatcher {

    private static final Logger log = LoggerFactory.getLogger(LeaderWatcher.class);
    private static final AtomicInteger THREADS = new AtomicInteger();
    static final String WATCH_PATH = "/v1/leader/watch";

    private final HttpClient http;
    private final ClusterView view;
    private final Backoff backoff;
    private final Duration connectTimeout;
    private final Duration idleTimeout;
    private final LeaderListener listener;
    private final Thread thread;
    private final LeaderEventFilter filter = new LeaderEventFilter(); // watch thread only
    private volatile boolean closed;
    private final AtomicReference<Runnable> cancelStream = new AtomicReference<>();
    private final BearerToken token; // null: none
    private boolean deniedLogged; // watch thread only
    private int next; // watch thread only
    private URI lastLeaderUrl; // watch thread only

    /** Items the HTTP client's threads hand to the watch thread. */
    private sealed interface Item permits Opened, Line, Ended {}

    private record Opened(int status) implements Item {}

    private record Line(String text) implements Item {}

    private record Ended(Throwable error) implements Item {}

    /** Data of a {@code no_leader} event. */
    record NoLeaderData(long term) {}

    public LeaderWatcher(HttpClient http, ClusterView view, Backoff backoff, Duration connectTimeout,
            Duration idleTimeout, LeaderListener listener) {
        this(http, view, backoff, connectTimeout, idleTimeout, listener, null);
    }

    /** {@code token}: sent with every stream request; null for none. */
    public LeaderWatcher(HttpClient http, ClusterView view, Backoff backoff, Duration connectTimeout,
            Duration idleTimeout, LeaderListener listener, BearerToken token) {
        this.token = token;
        this.http = http;
        this.view = view;
        this.backoff = backoff;
        this.connectTimeout = connectTimeout;
        this.idleTimeout = idleTimeout;
        this.listener = listener;
        this.thread = new Thread(this::run, "baton-watch-" + THREADS.incrementAndGet());
        this.thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    public boolean isClosed() {
        return closed;
    }

    /** Stops the watch; waits up to 5 s for the thread unless called on it (from the listener). */
    public void close() {
        closed = true;
        Runnable cancel = cancelStream.get();
        if (cancel != null) {
            cancel.run();
        }
        thread.interrupt();
        if (Thread.currentThread() != thread) {
            try {
                thread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void run() {
        int retry = 0;
        while (!closed) {
            URI node = pickNode();
            boolean delivered;
            try {
                delivered = stream(node);
            } catch (InterruptedException e) {
                break;
            }
            if (closed) {
                break;
            }
            retry = delivered ? 0 : retry + 1;
            try {
                Thread.sleep(backoff.delay(retry, () -> ThreadLocalRandom.current().nextDouble()).toMillis());
            } catch (InterruptedException e) {
                break;
            }
        }
        log.debug("watch ended");
    }

    /** Round-robin over the known nodes, with the last known active moved to the end. */
    private URI pickNode() {
        List<URI> nodes = new ArrayList<>(view.knownNodes());
        Collections.rotate(nodes, -Math.floorMod(next++, nodes.size()));
        if (nodes.size() > 1 && lastLeaderUrl != null && nodes.get(0).equals(lastLeaderUrl)) {
            return nodes.get(1);
        }
        return nodes.get(0);
    }

    /**
     * Streams from {@code node} until the stream ends, fails or stays idle. Returns whether at
     * least one event was read from it (the node was healthy).
     */
    private boolean stream(URI node) throws InterruptedException {
        BlockingQueue<Item> queue = new LinkedBlockingQueue<>();
        AtomicReference<Flow.Subscription> subscription = new AtomicReference<>();
        Flow.Subscriber<String> lines = new Flow.Subscriber<>() {
            @Override
            public void onSubscribe(Flow.Subscription s) {
                subscription.set(s);
                s.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(String line) {
                queue.add(new Line(line));
            }

            @Override
            public void onError(Throwable error) {
                queue.add(new Ended(error));
            }

            @Override
            public void onComplete() {
                queue.add(new Ended(null));
            }
        };
        HttpRequest.Builder rb = HttpRequest.newBuilder(NodeUrls.resolve(node, WATCH_PATH))
                .header("Accept", "text/event-stream")
                .GET();
        HttpRequest request = (token == null ? rb : token.apply(rb)).build();
        CompletableFuture<HttpResponse<Void>> response = http.sendAsync(request, info -> {
            queue.add(new Opened(info.statusCode()));
            return info.statusCode() == 200
                    ? HttpResponse.BodySubscribers.fromLineSubscriber(lines)
                    : HttpResponse.BodySubscribers.replacing(null);
        });
        response.whenComplete((r, error) -> queue.add(new Ended(error)));
        Runnable cancel = () -> {
            Flow.Subscription s = subscription.get();
            if (s != null) {
                s.cancel();
            }
            response.cancel(true);
        };
        cancelStream.set(cancel);
        boolean delivered = false;
        try {
            if (closed) {
                return false;
            }
            Item first = queue.poll(connectTimeout.toMillis(), TimeUnit.MILLISECONDS);
            if (first instanceof Opened o && (o.status() == 401 || o.status() == 403) && !deniedLogged) {
                // the watch keeps trying (a token file reload on the nodes may let it in), but says why once
                deniedLogged = true;
                log.warn("leader watch: {} refused the token (HTTP {}); still retrying", node, o.status());
            }
            if (!(first instanceof Opened opened) || opened.status() != 200) {
                log.debug("watch {}: {}", node, first == null ? "no answer within " + connectTimeout.toMillis() + " ms"
                        : first instanceof Opened o ? "answered HTTP " + o.status() : "failed: " + describe((Ended) first));
                return false;
            }
            log.debug("watching {}", node);
            SseParser parser = new SseParser();
            while (!closed) {
                Item item = queue.poll(idleTimeout.toMillis(), TimeUnit.MILLISECONDS);
                if (item == null) {
                    log.info("leader watch: {} silent for {} ms, switching node", node, idleTimeout.toMillis());
                    return delivered;
                }
                if (item instanceof Ended ended) {
                    log.debug("watch {}: stream ended: {}", node, describe(ended));
                    return delivered;
                }
                if (item instanceof Line line) {
                    Optional<SseParser.Event> event = parser.line(line.text());
                    if (event.isPresent()) {
                        delivered = true;
                        decode(event.get()).ifPresent(this::deliver);
                    }
                }
            }
            return delivered;
        } finally {
            cancelStream.set(null);
            cancel.run();
        }
    }

    private void deliver(LeaderEvent event) {
        if (closed || !filter.accept(event)) {
            return;
        }
        event.leader().ifPresent(l -> {
            try {
                lastLeaderUrl = NodeUrls.parse(l.url());
                view.learn(lastLeaderUrl);
            } catch (IllegalArgumentException e) {
                log.debug("leader event with unusable URL {}", l.url());
            }
        });
        try {
            listener.onChange(event);
        } catch (RuntimeException e) {
            log.warn("leader listener threw on {}; the watch goes on", event, e);
        }
    }

    /**
     * The leadership event an SSE event stands for: {@code leader} with data {@code
     * {"id","url","term"}}, or {@code no_leader} with data {@code {"term"}}. Empty for other event
     * types and for unreadable data (logged).
     */
    static Optional<LeaderEvent> decode(SseParser.Event event) {
        try {
            switch (event.type()) {
                case "leader": {
                    LeaderInfo info = Json.read(event.data().getBytes(StandardCharsets.UTF_8), LeaderInfo.class);
                    if (info.id() == null || info.url() == null) {
                        throw new IOException("leader event without id or url");
                    }
                    return Optional.of(LeaderEvent.leader(info));
                }
                case "no_leader": {
                    NoLeaderData data = Json.read(event.data().getBytes(StandardCharsets.UTF_8), NoLeaderData.class);
                    return Optional.of(LeaderEvent.noLeader(data.term()));
                }
                default:
                    return Optional.empty();
            }
        } catch (IOException e) {
            log.warn("ignoring unreadable {} event: {} ({})", event.type(), event.data(), e.getMessage());
            return Optional.empty();
        }
    }

    private static String describe(Ended ended) {
        return ended.error() == null ? "closed by the node" : Outcome.Failed.of(ended.error()).reason();
    }
}

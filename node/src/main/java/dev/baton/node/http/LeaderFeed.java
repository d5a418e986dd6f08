package dev.baton.node.http;

import dev.baton.client.wire.LeaderInfo;
import dev.baton.node.role.RoleView;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leadership changes as this node sees them, for long-polls ({@code GET
 * /v1/leader?waitForTermAbove=N}) and server-sent-event streams ({@code GET /v1/leader/watch}).
 * Fed by every change of the node's {@link RoleView}, not only by its own role transitions: a
 * node learns that another node leads, or that its leader fell silent, without changing role
 * (e.g. an old leader steps down before it hears from its successor), and the feed must say so
 * as {@code GET /v1/leader} does.
 *
 * <p>Threading: {@link #onView} runs on the node's role thread (in order); it only records the
 * change and hands delivery to the single {@code baton-feed} thread, which owns the subscriber
 * streams, so events reach every stream in the order they happened.
 */
final class LeaderFeed implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LeaderFeed.class);

    private final NodeView view;
    private final ScheduledExecutorService feed = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "baton-feed");
        t.setDaemon(true);
        return t;
    });
    private final List<Waiter> waiters = new CopyOnWriteArrayList<>();
    private final List<HttpCall.EventStream> streams = new ArrayList<>(); // owned by the feed thread
    private volatile Snapshot current = new Snapshot(null, 0);

    /** What this node currently knows: the active leader (or null) and the term. */
    record Snapshot(LeaderInfo leader, long term) {
        static Snapshot of(NodeView nodeView, RoleView v) {
            return new Snapshot(nodeView.leader(v), v.term());
        }
    }

    private record Waiter(long aboveTerm, CompletableFuture<Snapshot> future) {}

    LeaderFeed(NodeView view) {
        this.view = view;
        view.consensus.addViewListener(this::onView);
        onView(view.consensus.view()); // after registering: no change between the two is missed
        long keepaliveMs = view.config.timings().watchKeepaliveMs();
        feed.scheduleWithFixedDelay(this::keepalive, keepaliveMs, keepaliveMs, TimeUnit.MILLISECONDS);
    }

    Snapshot current() {
        return current;
    }

    /** Role thread (and once at construction): the node's view changed. */
    synchronized void onView(RoleView v) {
        Snapshot next = Snapshot.of(view, v);
        Snapshot prev = current;
        if (Objects.equals(prev.leader(), next.leader()) && prev.term() == next.term() || next.term() < prev.term()) {
            return;
        }
        current = next;
        for (Waiter w : waiters) {
            if (next.leader() != null && next.term() > w.aboveTerm()) {
                w.future().complete(next);
                waiters.remove(w);
            }
        }
        feed.execute(() -> broadcast(next));
    }

    /** Completes when a leader with a term above {@code term} is known, or with the current state after {@code timeoutMs}. */
    CompletableFuture<Snapshot> awaitTermAbove(long term, long timeoutMs) {
        Snapshot now = current;
        if (now.leader() != null && now.term() > term) {
            return CompletableFuture.completedFuture(now);
        }
        Waiter w = new Waiter(term, new CompletableFuture<>());
        waiters.add(w);
        // re-check: a change may have slipped in between the first look and the registration
        Snapshot again = current;
        if (again.leader() != null && again.term() > term) {
            waiters.remove(w);
            return CompletableFuture.completedFuture(again);
        }
        return w.future()
                .completeOnTimeout(null, timeoutMs, TimeUnit.MILLISECONDS)
                .thenApply(s -> {
                    waiters.remove(w);
                    return s == null ? current : s;
                });
    }

    /** Starts an SSE stream on {@code call}: the current state at once, then every change. */
    void subscribe(HttpCall call) {
        feed.execute(() -> {
            call.setHeader("Cache-Control", "no-cache");
            try {
                HttpCall.EventStream stream = call.stream("text/event-stream");
                if (stream.write(event(current))) {
                    streams.add(stream);
                }
            } catch (IOException e) {
                log.debug("watch stream to {} not started: {}", call.remote(), e.toString());
            }
        });
    }

    private void broadcast(Snapshot s) {
        send(event(s));
    }

    private void keepalive() {
        send(": keepalive\n\n");
    }

    /** Feed thread. A stream whose write fails (client gone or not reading) is dropped. */
    private void send(String text) {
        streams.removeIf(stream -> !stream.write(text));
    }

    static String event(Snapshot s) {
        if (s.leader() == null) {
            return "event: no_leader\nid: " + s.term() + "\ndata: " + new String(Json.bytes(Map.of("term", s.term())), StandardCharsets.UTF_8) + "\n\n";
        }
        return "event: leader\nid: " + s.term() + "\ndata: " + new String(Json.bytes(s.leader()), StandardCharsets.UTF_8) + "\n\n";
    }

    @Override
    public void close() {
        feed.execute(() -> {
            for (HttpCall.EventStream stream : streams) {
                stream.close();
            }
            streams.clear();
        });
        feed.shutdown();
        try {
            feed.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

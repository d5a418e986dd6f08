package dev.baton.bench;

import dev.baton.client.wire.LeaderInfo;
import dev.baton.it.Http;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The ACTIVE as the cluster names it, for load that goes straight at it: one daemon thread per node
 * keeps a {@code GET /v1/leader?waitForTermAbove=N} long-poll open (N = the newest term known) and
 * reports each newer leader, so a newly elected ACTIVE is known as soon as any node answers, also
 * while the old one is down or hung. Terms only go up here. Thread-safe; threads end at
 * {@link #close()}.
 */
final class ActiveTracker implements AutoCloseable {

    private static final HttpClient HTTP = BenchSecurity.apply(HttpClient.newBuilder())
            .connectTimeout(Duration.ofMillis(500))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();

    private final List<Thread> threads = new ArrayList<>();
    private LeaderInfo current; // guarded by this
    private volatile boolean closed;

    ActiveTracker(List<String> nodeUrls) {
        for (String url : nodeUrls) {
            Thread t = new Thread(() -> poll(url), "bench-load-leader-" + url.replaceAll("\\W+", "_"));
            t.setDaemon(true);
            t.start();
            threads.add(t);
        }
    }

    /** The newest leader known, or null before any node answered. */
    synchronized LeaderInfo current() {
        return current;
    }

    /**
     * Waits up to {@code timeoutMs} for a leader in a term above {@code term}; returns the newest
     * known then (maybe not newer, maybe null).
     */
    synchronized LeaderInfo awaitTermAbove(long term, long timeoutMs) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000;
        for (long left; (current == null || current.term() <= term) && (left = deadline - System.nanoTime()) > 0; ) {
            wait(Math.max(1, left / 1_000_000));
        }
        return current;
    }

    /** Whether {@code l} is newer than the newest known (and now is it). */
    private synchronized boolean offer(LeaderInfo l) {
        if (l.url() == null || (current != null && l.term() <= current.term())) {
            return false;
        }
        current = l;
        notifyAll();
        return true;
    }

    private void poll(String url) {
        while (!closed) {
            LeaderInfo known = current();
            try {
                HttpRequest req = BenchSecurity.authorize(HttpRequest.newBuilder(URI.create(url + "/v1/leader?waitForTermAbove="
                                + (known == null ? 0 : known.term()) + "&timeoutMs=10000")))
                        .timeout(Duration.ofSeconds(15))
                        .GET()
                        .build();
                HttpResponse<byte[]> r = HTTP.send(req, HttpResponse.BodyHandlers.ofByteArray());
                if (r.statusCode() == 200 && offer(Http.JSON.readValue(r.body(), LeaderInfo.class))) {
                    continue;
                }
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                // down, hung past the timeout, or no leader yet: ask again
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        threads.forEach(Thread::interrupt);
    }
}

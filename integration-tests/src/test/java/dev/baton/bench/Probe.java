package dev.baton.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.baton.it.Http;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Asks one node, over and over, whether it acts as ACTIVE: {@code GET /health/active} every
 * {@code healthEveryMs} and a {@code PUT} of a probe key every {@code putEveryMs} (not following
 * redirects). Every answer is kept with the time its request was sent, so a caller can count the
 * answers "served as ACTIVE" after a point in time. Requests are asynchronous: a hung node does not
 * stall the probe. Thread-safe.
 */
final class Probe implements AutoCloseable {

    record Answer(String kind, long sentNanos, long answeredNanos, int status, long term, String key) {}

    private static final HttpClient HTTP = BenchSecurity.apply(HttpClient.newBuilder())
            .connectTimeout(Duration.ofMillis(500))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    private static final AtomicLong PROBE_SEQ = new AtomicLong();

    private final String url;
    private final String keyPrefix;
    private final long healthEveryMs;
    private final long putEveryMs;
    private final List<Answer> answers = new ArrayList<>();
    private final List<CompletableFuture<?>> inFlight = new ArrayList<>();
    private final Thread thread;
    private volatile boolean stop;

    Probe(String url, String keyPrefix, long healthEveryMs, long putEveryMs) {
        this.url = url;
        this.keyPrefix = keyPrefix;
        this.healthEveryMs = healthEveryMs;
        this.putEveryMs = putEveryMs;
        this.thread = new Thread(this::run, "bench-probe");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        long nextPut = System.nanoTime();
        while (!stop) {
            send("health", HttpRequest.newBuilder(URI.create(url + "/health/active")).GET(), null);
            if (putEveryMs > 0 && System.nanoTime() >= nextPut) {
                String key = keyPrefix + PROBE_SEQ.incrementAndGet();
                send("put", HttpRequest.newBuilder(URI.create(url + Http.kvPath(key)))
                        .PUT(HttpRequest.BodyPublishers.ofString("probe")), key);
                nextPut = System.nanoTime() + putEveryMs * 1_000_000;
            }
            try {
                Thread.sleep(healthEveryMs);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void send(String kind, HttpRequest.Builder b, String key) {
        long sent = System.nanoTime();
        CompletableFuture<?> f = HTTP.sendAsync(BenchSecurity.authorize(b).timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.ofByteArray())
                .thenAccept(r -> record(new Answer(kind, sent, System.nanoTime(), r.statusCode(), term(r.body()), key)))
                .exceptionally(e -> null);
        synchronized (this) {
            inFlight.add(f);
        }
    }

    private static long term(byte[] body) {
        try {
            JsonNode n = Http.JSON.readTree(body);
            return n != null && n.has("term") ? n.get("term").asLong() : -1;
        } catch (Exception e) {
            return -1;
        }
    }

    private synchronized void record(Answer a) {
        answers.add(a);
    }

    synchronized List<Answer> answers() {
        return List.copyOf(answers);
    }

    /** Stops sending and waits (bounded) for the answers still in flight. */
    @Override
    public void close() {
        stop = true;
        thread.interrupt();
        List<CompletableFuture<?>> pending;
        synchronized (this) {
            pending = List.copyOf(inFlight);
        }
        try {
            CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).get(4, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            // answers that did not come are not answers
        }
    }
}

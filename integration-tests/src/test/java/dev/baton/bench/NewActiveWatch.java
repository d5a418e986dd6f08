package dev.baton.bench;

import dev.baton.it.Http;
import dev.baton.it.NodeProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * When the cluster first names a new ACTIVE, as close to the moment as a client can see it: one
 * daemon thread per node holds a {@code GET /v1/leader?waitForTermAbove=N} long-poll open (again
 * after each answer) until any of them answers with a newer term. Set up before the fault, so
 * that the long-polls are waiting when it happens.
 */
final class NewActiveWatch {

    /** When the first node named a leader of {@code term} ({@code System.nanoTime()}). */
    record Seen(long atNanos, long term) {}

    private static final HttpClient HTTP = BenchSecurity.apply(HttpClient.newBuilder())
            .connectTimeout(Duration.ofSeconds(1))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();

    private NewActiveWatch() {}

    /** Completes when any of {@code nodes} reports an ACTIVE leader with a term above {@code termAbove}. */
    static CompletableFuture<Seen> start(List<NodeProcess> nodes, long termAbove) {
        CompletableFuture<Seen> result = new CompletableFuture<>();
        for (NodeProcess n : nodes) {
            Thread th = new Thread(() -> pollUntilDone(n, termAbove, result), "bench-leader-wait-" + n.id());
            th.setDaemon(true);
            th.start();
        }
        return result;
    }

    /** The time {@code f} completed with, or {@code Long.MAX_VALUE} if it has not (yet). */
    static long seenOr(CompletableFuture<Seen> f) {
        return f.isDone() && !f.isCompletedExceptionally() ? f.join().atNanos() : Long.MAX_VALUE;
    }

    private static void pollUntilDone(NodeProcess n, long termAbove, CompletableFuture<Seen> result) {
        while (!result.isDone()) {
            try {
                HttpRequest req = BenchSecurity.authorize(HttpRequest.newBuilder(
                                URI.create(n.url() + "/v1/leader?waitForTermAbove=" + termAbove + "&timeoutMs=20000")))
                        .timeout(Duration.ofSeconds(25))
                        .GET()
                        .build();
                HttpResponse<byte[]> r = HTTP.send(req, HttpResponse.BodyHandlers.ofByteArray());
                long now = System.nanoTime();
                if (r.statusCode() == 200) {
                    long term = Http.JSON.readTree(r.body()).path("term").asLong();
                    if (term > termAbove) {
                        result.complete(new Seen(now, term));
                        return;
                    }
                }
                Thread.sleep(5);
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                try {
                    Thread.sleep(5); // node down or hung: ask again
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }
}

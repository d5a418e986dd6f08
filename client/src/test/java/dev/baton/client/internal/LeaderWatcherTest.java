package dev.baton.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.baton.client.LeaderEvent;
import dev.baton.client.wire.LeaderInfo;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The watch loop against real (in-JVM) HTTP servers that stream server-sent events, then drop or
 * hang. No test sleeps to see that something does not happen: a later event (a sentinel) or the end
 * of the watch thread shows that nothing else was delivered before it.
 */
class LeaderWatcherTest {

    private static final Backoff FAST = new Backoff(Duration.ofMillis(10), Duration.ofMillis(50));

    private final List<HttpServer> servers = new ArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);
    private final List<LeaderEvent> events = new CopyOnWriteArrayList<>();
    private final Semaphore delivered = new Semaphore(0);
    private final AtomicReference<Thread> listenerThread = new AtomicReference<>();
    private int awaited;
    private LeaderWatcher watcher;

    @AfterEach
    void stop() {
        if (watcher != null) {
            watcher.close();
        }
        release.countDown();
        servers.forEach(s -> s.stop(0));
    }

    private interface Script {
        void play(PrintLines out) throws IOException, InterruptedException;
    }

    private static final class PrintLines {
        private final OutputStream out;

        PrintLines(OutputStream out) {
            this.out = out;
        }

        void send(String... lines) throws IOException {
            for (String line : lines) {
                out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            }
            out.flush();
        }

        void leader(String id, long term) throws IOException {
            send("event: leader", "id: " + term,
                    "data: {\"id\":\"" + id + "\",\"url\":\"http://" + id + ":8080\",\"term\":" + term + "}", "");
        }

        void noLeader(long term) throws IOException {
            send("event: no_leader", "data: {\"term\":" + term + "}", "");
        }
    }

    /** A node whose watch stream plays {@code script} on every connection; counts connections. */
    private URI node(AtomicInteger connections, Script script) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/v1/leader/watch", (HttpExchange exchange) -> {
            connections.incrementAndGet();
            exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream body = exchange.getResponseBody()) {
                script.play(new PrintLines(body));
            } catch (InterruptedException | IOException e) {
                // client went away or test ended
            } finally {
                exchange.close();
            }
        });
        server.start();
        servers.add(server);
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private void watch(Duration idleTimeout, URI... nodes) {
        HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
        watcher = new LeaderWatcher(http, new ClusterView(List.of(nodes)), FAST, Duration.ofSeconds(2), idleTimeout,
                event -> {
                    listenerThread.set(Thread.currentThread());
                    events.add(event);
                    delivered.release();
                });
        watcher.start();
    }

    /** Waits until {@code n} events were delivered in all (10 s bound for the test, not a speed). */
    private void awaitEvents(int n) throws InterruptedException {
        assertThat(delivered.tryAcquire(n - awaited, 10, TimeUnit.SECONDS))
                .as("%d events delivered; got %s", n, events)
                .isTrue();
        awaited = n;
    }

    private static LeaderEvent leader(String id, long term) {
        return LeaderEvent.leader(new LeaderInfo(id, "http://" + id + ":8080", term));
    }

    @Test
    void reconnectsToAnotherNodeWhenTheStreamDropsAndDeliversEachTermOnce() throws Exception {
        AtomicInteger toA = new AtomicInteger();
        AtomicInteger toB = new AtomicInteger();
        CountDownLatch sendSentinel = new CountDownLatch(1);
        URI a = node(toA, out -> out.leader("n1", 3)); // then the connection closes: "node killed"
        URI b = node(toB, out -> {
            out.leader("n1", 3); // current state, already seen
            out.send(": keepalive");
            out.noLeader(3);
            out.leader("n2", 4);
            sendSentinel.await();
            out.leader("n3", 5);
            release.await();
        });
        watch(Duration.ofSeconds(5), a, b);

        awaitEvents(3);
        // Events arrive in stream order on one thread: a duplicate of the first three would be
        // delivered before the sentinel that b sends only now.
        sendSentinel.countDown();
        awaitEvents(4);
        assertThat(events).containsExactly(leader("n1", 3), LeaderEvent.noLeader(3), leader("n2", 4), leader("n3", 5));
        assertThat(toA.get()).isEqualTo(1);
        assertThat(toB.get()).isEqualTo(1);
    }

    @Test
    void aSilentStreamIsDroppedAfterTheIdleTimeout() throws Exception {
        AtomicInteger toA = new AtomicInteger();
        AtomicInteger toB = new AtomicInteger();
        URI a = node(toA, out -> {
            out.leader("n1", 3);
            release.await(); // hung: no keepalives
        });
        URI b = node(toB, out -> {
            out.leader("n2", 4);
            release.await();
        });
        watch(Duration.ofMillis(300), a, b);

        awaitEvents(2);
        assertThat(events).containsExactly(leader("n1", 3), leader("n2", 4));
    }

    @Test
    void closeStopsTheWatchAndNothingIsDeliveredAfterwards() throws Exception {
        AtomicInteger connections = new AtomicInteger();
        CountDownLatch closedByTest = new CountDownLatch(1);
        CountDownLatch sentAfterClose = new CountDownLatch(1);
        URI a = node(connections, out -> {
            out.leader("n1", 3);
            closedByTest.await(5, TimeUnit.SECONDS); // the next event comes after close()
            try {
                out.leader("n2", 4);
            } finally {
                sentAfterClose.countDown(); // written, or refused because the watch hung up
            }
            release.await();
        });
        watch(Duration.ofSeconds(5), a);
        awaitEvents(1);
        watcher.close();
        assertThat(watcher.isClosed()).isTrue();
        // the listener runs only on the watch thread: once it has ended, nothing more can be delivered
        assertThat(listenerThread.get().isAlive()).as("watch thread after close()").isFalse();
        closedByTest.countDown();
        assertThat(sentAfterClose.await(10, TimeUnit.SECONDS)).as("the node sent its next event").isTrue();
        assertThat(events).containsExactly(leader("n1", 3));
    }

    @Test
    void decodesLeaderAndNoLeaderAndIgnoresOtherEvents() {
        assertThat(LeaderWatcher.decode(new SseParser.Event("leader",
                        "{\"id\":\"n2\",\"url\":\"http://h:1\",\"term\":7,\"extra\":true}", "7")))
                .contains(LeaderEvent.leader(new LeaderInfo("n2", "http://h:1", 7)));
        assertThat(LeaderWatcher.decode(new SseParser.Event("no_leader", "{\"term\":7}", "")))
                .contains(LeaderEvent.noLeader(7));
        assertThat(LeaderWatcher.decode(new SseParser.Event("message", "x", ""))).isEmpty();
        assertThat(LeaderWatcher.decode(new SseParser.Event("leader", "not json", ""))).isEmpty();
        assertThat(LeaderWatcher.decode(new SseParser.Event("leader", "{\"term\":7}", ""))).isEmpty();
    }
}

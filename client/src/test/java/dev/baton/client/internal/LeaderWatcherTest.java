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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The watch loop against real (in-JVM) HTTP servers that stream server-sent events, then drop or hang. */
class LeaderWatcherTest {

    private static final Backoff FAST = new Backoff(Duration.ofMillis(10), Duration.ofMillis(50));

    private final List<HttpServer> servers = new ArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);
    private final List<LeaderEvent> events = new CopyOnWriteArrayList<>();
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
                events::add);
        watcher.start();
    }

    private void awaitEvents(int n) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (events.size() < n && System.nanoTime() < end) {
            Thread.sleep(10);
        }
        assertThat(events).hasSizeGreaterThanOrEqualTo(n);
    }

    private static LeaderEvent leader(String id, long term) {
        return LeaderEvent.leader(new LeaderInfo(id, "http://" + id + ":8080", term));
    }

    @Test
    void reconnectsToAnotherNodeWhenTheStreamDropsAndDeliversEachTermOnce() throws Exception {
        AtomicInteger toA = new AtomicInteger();
        AtomicInteger toB = new AtomicInteger();
        URI a = node(toA, out -> out.leader("n1", 3)); // then the connection closes: "node killed"
        URI b = node(toB, out -> {
            out.leader("n1", 3); // current state, already seen
            out.send(": keepalive");
            out.noLeader(3);
            out.leader("n2", 4);
            release.await();
        });
        watch(Duration.ofSeconds(5), a, b);

        awaitEvents(3);
        Thread.sleep(200);
        assertThat(events).containsExactly(leader("n1", 3), LeaderEvent.noLeader(3), leader("n2", 4));
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
        java.util.concurrent.CountDownLatch closedByTest = new java.util.concurrent.CountDownLatch(1);
        URI a = node(connections, out -> {
            out.leader("n1", 3);
            closedByTest.await(5, java.util.concurrent.TimeUnit.SECONDS); // the next event comes after close()
            out.leader("n2", 4);
            release.await();
        });
        watch(Duration.ofSeconds(5), a);
        awaitEvents(1);
        watcher.close();
        closedByTest.countDown();
        assertThat(watcher.isClosed()).isTrue();
        Thread.sleep(500);
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

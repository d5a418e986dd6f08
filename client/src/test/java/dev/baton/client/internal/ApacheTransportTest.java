package dev.baton.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Against a real (in-JVM) HTTP server: what the retry decisions rely on — the request as built
 * arrives, a failure is classified by how far it got, and cancelling an abandoned attempt or
 * long-poll closes its connection, so a hung node does not hold connections.
 */
class ApacheTransportTest {

    private HttpServer server;
    private final ApacheTransport transport = new ApacheTransport(Duration.ofSeconds(2));

    @AfterEach
    void stop() {
        transport.close();
        if (server != null) {
            server.stop(0);
        }
    }

    private URI start(com.sun.net.httpserver.HttpHandler handler) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", handler);
        server.start();
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @Test
    void sendsMethodHeadersAndBodyAndReturnsTheAnswer() throws Exception {
        URI base = start(exchange -> {
            try (exchange) {
                byte[] in = exchange.getRequestBody().readAllBytes();
                String echo = exchange.getRequestMethod() + " " + exchange.getRequestURI() + " "
                        + exchange.getRequestHeaders().getFirst("Baton-Request-Seq") + " "
                        + exchange.getRequestHeaders().getFirst("Content-Type") + " " + new String(in, StandardCharsets.UTF_8);
                byte[] out = echo.getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Baton-Applied-Index", "42");
                exchange.sendResponseHeaders(201, out.length);
                exchange.getResponseBody().write(out);
            }
        });
        HttpRequest put = HttpRequest.newBuilder(base.resolve("/v1/kv/a%2Fb?ifRevision=3"))
                .timeout(Duration.ofSeconds(5))
                .header("Content-Type", "application/octet-stream")
                .header("Baton-Request-Seq", "7")
                .PUT(HttpRequest.BodyPublishers.ofByteArray("value".getBytes(StandardCharsets.UTF_8)))
                .build();

        Outcome.Answer answer = (Outcome.Answer) transport.send(put).get(10, TimeUnit.SECONDS);

        assertThat(answer.status()).isEqualTo(201);
        assertThat(answer.header("baton-applied-index")).contains("42");
        assertThat(new String(answer.body(), StandardCharsets.UTF_8))
                .isEqualTo("PUT /v1/kv/a%2Fb?ifRevision=3 7 application/octet-stream value");
    }

    @Test
    void aRefusedConnectionWasNotSent() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        HttpRequest get = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/leader"))
                .timeout(Duration.ofSeconds(5)).GET().build();

        Outcome.Failed failed = (Outcome.Failed) transport.send(get).get(10, TimeUnit.SECONDS);

        assertThat(failed.kind()).isEqualTo(Outcome.FailureKind.NOT_SENT);
    }

    @Test
    void noAnswerWithinTheRequestTimeoutTimedOut() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        URI base = start(exchange -> {
            try (exchange) {
                release.await(10, TimeUnit.SECONDS);
                exchange.sendResponseHeaders(200, -1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        HttpRequest get = HttpRequest.newBuilder(base.resolve("/v1/leader")).timeout(Duration.ofMillis(300)).GET().build();

        Outcome.Failed failed = (Outcome.Failed) transport.send(get).get(10, TimeUnit.SECONDS);
        release.countDown();

        assertThat(failed.kind()).isEqualTo(Outcome.FailureKind.TIMED_OUT);
    }

    @Test
    void closingEndsAPendingRequestPromptly() throws Exception {
        CountDownLatch received = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        URI base = start(exchange -> {
            received.countDown();
            try (exchange) {
                release.await(20, TimeUnit.SECONDS);
                exchange.sendResponseHeaders(200, -1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        CompletableFuture<Outcome> pending = transport.send(
                HttpRequest.newBuilder(base.resolve("/v1/leader")).timeout(Duration.ofSeconds(30)).GET().build());
        assertThat(received.await(10, TimeUnit.SECONDS)).isTrue();

        long start = System.nanoTime();
        transport.close();

        assertThat(pending.get(5, TimeUnit.SECONDS)).isInstanceOf(Outcome.Failed.class);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        release.countDown();
    }

    /**
     * The server answers {@code cancelled} 64 MiB after the latch opens (far beyond what socket
     * buffers absorb, so the write fails if the client closed the connection) and reports which.
     */
    private URI slowBigAnswer(CountDownLatch received, CountDownLatch answerNow, CompletableFuture<String> serverSaw)
            throws IOException {
        return start(exchange -> {
            if (exchange.getRequestURI().getPath().equals("/warm")) {
                try (exchange) {
                    exchange.sendResponseHeaders(200, 2);
                    exchange.getResponseBody().write("ok".getBytes(StandardCharsets.UTF_8));
                }
                return;
            }
            received.countDown();
            try (exchange) {
                answerNow.await(10, TimeUnit.SECONDS);
                exchange.sendResponseHeaders(200, 0);
                OutputStream body = exchange.getResponseBody();
                byte[] chunk = new byte[1 << 20];
                for (int i = 0; i < 64; i++) {
                    body.write(chunk);
                }
                serverSaw.complete("answer written");
            } catch (IOException e) {
                serverSaw.complete("connection closed: " + e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    /**
     * An attempt on a pooled connection (the usual case: kept alive per node) is abandoned at cancel:
     * its connection is closed instead of the answer being read to its end (the library alone read
     * a 64 MiB answer whole after a cancel).
     */
    @Test
    void cancellingAnAttemptOnAPooledConnectionClosesItAtOnce() throws Exception {
        CountDownLatch received = new CountDownLatch(1);
        CountDownLatch cancelled = new CountDownLatch(1);
        CompletableFuture<String> serverSaw = new CompletableFuture<>();
        URI base = slowBigAnswer(received, cancelled, serverSaw);
        Outcome warm = transport.send(HttpRequest.newBuilder(base.resolve("/warm")).timeout(Duration.ofSeconds(10)).GET().build())
                .get(10, TimeUnit.SECONDS);
        assertThat(warm).isInstanceOf(Outcome.Answer.class);

        CompletableFuture<Outcome> pending = transport.send(
                HttpRequest.newBuilder(base.resolve("/v1/leader")).timeout(Duration.ofSeconds(30)).GET().build());
        assertThat(received.await(10, TimeUnit.SECONDS)).isTrue();
        pending.cancel(true);
        cancelled.countDown();

        assertThat(serverSaw.get(20, TimeUnit.SECONDS)).startsWith("connection closed");
    }

    /**
     * An attempt that had to open its connection too (the library cannot cancel that exchange):
     * the cancelled future completes at once, and the connection closes when the answer starts.
     */
    @Test
    void cancellingAnAttemptOnAFreshConnectionClosesItWhenTheAnswerStarts() throws Exception {
        CountDownLatch received = new CountDownLatch(1);
        CountDownLatch answerNow = new CountDownLatch(1);
        CompletableFuture<String> serverSaw = new CompletableFuture<>();
        URI base = slowBigAnswer(received, answerNow, serverSaw);

        CompletableFuture<Outcome> pending = transport.send(
                HttpRequest.newBuilder(base.resolve("/v1/leader")).timeout(Duration.ofSeconds(30)).GET().build());
        assertThat(received.await(10, TimeUnit.SECONDS)).isTrue();
        pending.cancel(true);
        assertThat(pending).isCancelled();
        answerNow.countDown();

        assertThat(serverSaw.get(20, TimeUnit.SECONDS)).startsWith("connection closed");
    }
}

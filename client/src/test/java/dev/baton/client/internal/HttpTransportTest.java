package dev.baton.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Against a real (in-JVM) HTTP server: the client relies on cancelling an abandoned attempt or
 * long-poll to close its connection, so a hung node does not hold connections.
 */
class HttpTransportTest {

    private HttpServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void cancellingAPendingRequestClosesItsConnection() throws Exception {
        CountDownLatch received = new CountDownLatch(1);
        CountDownLatch cancelled = new CountDownLatch(1);
        CompletableFuture<String> serverSaw = new CompletableFuture<>();
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", exchange -> {
            received.countDown();
            try (exchange) {
                cancelled.await(10, TimeUnit.SECONDS);
                exchange.sendResponseHeaders(200, 0);
                OutputStream body = exchange.getResponseBody();
                byte[] chunk = new byte[1 << 20];
                for (int i = 0; i < 64; i++) { // far beyond what socket buffers absorb
                    body.write(chunk);
                }
                serverSaw.complete("answer written");
            } catch (IOException e) {
                serverSaw.complete("connection closed: " + e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        server.start();
        HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
        URI url = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v1/leader");

        CompletableFuture<Outcome> pending = new HttpTransport(http)
                .send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(30)).GET().build());
        assertThat(received.await(10, TimeUnit.SECONDS)).isTrue();
        pending.cancel(true);
        cancelled.countDown();

        String saw = serverSaw.get(20, TimeUnit.SECONDS);
        assertThat(saw).startsWith("connection closed");
        assertThat(http.followRedirects()).as("the client stays reachable, so GC does not close it").isNotNull();
    }
}

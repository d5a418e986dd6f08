package dev.baton.node.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.node.config.HttpLimits;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The Netty server on a real loopback socket, with the JDK's HTTP client as the peer. */
class NettyTransportTest {

    private final ExecutorService workers = Executors.newFixedThreadPool(2);
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @AfterEach
    void stop() {
        workers.shutdownNow();
    }

    @Test
    void answersEchoTheBodyAndAPortInUseIsABindException() throws Exception {
        try (NettyTransport server = NettyTransport.start(new InetSocketAddress("127.0.0.1", 0), workers,
                call -> call.send(200, "text/plain", bodyOf(call)), 100, HttpLimits.DEFAULTS)) {
            URI uri = URI.create("http://127.0.0.1:" + server.port() + "/echo");
            for (int i = 0; i < 3; i++) { // one kept-alive connection
                HttpResponse<String> rsp = client.send(HttpRequest.newBuilder(uri).PUT(HttpRequest.BodyPublishers.ofString("v" + i)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(rsp.statusCode()).isEqualTo(200);
                assertThat(rsp.body()).isEqualTo("v" + i);
            }
            assertThatThrownBy(() -> NettyTransport.start(new InetSocketAddress("127.0.0.1", server.port()), workers, call -> {}, 100, HttpLimits.DEFAULTS))
                    .isInstanceOf(BindException.class);
        }
    }

    @Test
    void eachStreamedPieceReachesTheClientAtOnce() throws Exception {
        try (NettyTransport server = NettyTransport.start(new InetSocketAddress("127.0.0.1", 0), workers, call -> {
            try {
                HttpCall.EventStream stream = call.stream("text/event-stream");
                stream.write("event: one\n\n");
            } catch (java.io.IOException e) {
                throw new AssertionError(e);
            }
        }, 100, HttpLimits.DEFAULTS)) {
            HttpResponse<java.io.InputStream> rsp = client.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/watch")).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            assertThat(rsp.headers().firstValue("Content-Type")).hasValue("text/event-stream");
            try (BufferedReader in = new BufferedReader(new InputStreamReader(rsp.body(), StandardCharsets.UTF_8))) {
                assertThat(in.readLine()).isEqualTo("event: one"); // the stream stays open: only a flush delivers it
            }
        }
    }

    private static byte[] bodyOf(HttpCall call) {
        try {
            return call.body(100);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}

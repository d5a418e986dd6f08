package dev.baton.node.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.node.config.HttpLimits;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The Netty front against raw sockets that misbehave: slow or cut-short requests, too many
 * connections, half-closes. Every answer checked here is a complete JSON error and a close.
 */
class SlowClientsTest {

    private static final HttpLimits SHORT = new HttpLimits(300, 300, 300, 8, 4);

    private final ExecutorService workers = Executors.newFixedThreadPool(2);
    private final List<Socket> sockets = new ArrayList<>();

    @AfterEach
    void stop() throws IOException {
        for (Socket s : sockets) {
            s.close();
        }
        workers.shutdownNow();
    }

    private NettyTransport start(HttpLimits limits) throws IOException {
        return NettyTransport.start(new InetSocketAddress("127.0.0.1", 0), workers, call -> {
            try {
                call.send(200, "text/plain", call.body(100));
            } catch (ApiException e) {
                Exchanges.error(call, e);
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }, 100, limits);
    }

    private Socket open(NettyTransport server) throws IOException {
        Socket s = new Socket("127.0.0.1", server.port());
        s.setSoTimeout(5_000);
        sockets.add(s);
        return s;
    }

    private static void send(Socket s, String raw) throws IOException {
        s.getOutputStream().write(raw.getBytes(StandardCharsets.ISO_8859_1));
        s.getOutputStream().flush();
    }

    /** Everything the server sends until it closes (the socket timeout bounds the wait). */
    private static String readToClose(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        for (int n; (n = in.read(buf)) >= 0; ) {
            out.write(buf, 0, n);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aHeadThatNeverCompletesIs408WithJsonAndClosed() throws Exception {
        try (NettyTransport server = start(SHORT)) {
            Socket s = open(server);
            send(s, "GET /v1/status HTTP/1.1\r\nHost: x\r\n");
            String answer = readToClose(s);
            assertThat(answer).startsWith("HTTP/1.1 408 ").contains("application/json").contains("\"error\":\"request_timeout\"")
                    .contains("--http-header-timeout-ms");
        }
    }

    @Test
    void aBodyShorterThanDeclaredTimesOutWith408() throws Exception {
        try (NettyTransport server = start(SHORT)) {
            Socket s = open(server);
            send(s, "PUT /v1/kv/k HTTP/1.1\r\nHost: x\r\nContent-Length: 50\r\n\r\nonly-ten!!");
            assertThat(readToClose(s)).startsWith("HTTP/1.1 408 ").contains("\"error\":\"request_timeout\"").contains("10 bytes arrived");
        }
    }

    @Test
    void aLyingContentLengthFollowedByAHalfCloseIs400NotAServerError() throws Exception {
        try (NettyTransport server = start(HttpLimits.DEFAULTS)) {
            Socket s = open(server);
            send(s, "PUT /v1/kv/k HTTP/1.1\r\nHost: x\r\nContent-Length: 50\r\n\r\nonly-ten!!");
            s.shutdownOutput();
            assertThat(readToClose(s)).startsWith("HTTP/1.1 400 ").contains("\"error\":\"malformed_request\"").contains("after 10 body bytes");
        }
    }

    @Test
    void aCompleteRequestFollowedByAHalfCloseIsStillAnswered() throws Exception {
        try (NettyTransport server = start(HttpLimits.DEFAULTS)) {
            Socket s = open(server);
            send(s, "PUT /v1/kv/k HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nhi");
            s.shutdownOutput();
            assertThat(readToClose(s)).startsWith("HTTP/1.1 200 ").endsWith("\r\n\r\nhi");
        }
    }

    @Test
    void aRawSpaceOrNonAsciiByteInTheTargetIs400Json() throws Exception {
        try (NettyTransport server = start(HttpLimits.DEFAULTS)) {
            for (String target : new String[] {"/v1/kv/sp ace", "/v1/kv/\u00ff\u00fe"}) {
                Socket s = open(server);
                send(s, "PUT " + target + " HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\n\r\nv");
                assertThat(readToClose(s)).as(target).startsWith("HTTP/1.1 400 ").contains("application/json").contains("\"error\":\"");
            }
        }
    }

    @Test
    void anIdleKeptAliveConnectionIsClosedQuietly() throws Exception {
        try (NettyTransport server = start(SHORT)) {
            Socket s = open(server);
            send(s, "PUT /k HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\n\r\nv");
            String answer = readToClose(s); // the 200, then the close once idle
            assertThat(answer).startsWith("HTTP/1.1 200 ").doesNotContain("408");
        }
    }

    @Test
    void overTheClientLimitIs429ButHealthIsAnsweredAndSlotsComeBack() throws Exception {
        try (NettyTransport server = start(new HttpLimits(10_000, 10_000, 10_000, 8, 2))) {
            Socket a = open(server);
            Socket b = open(server);
            send(a, "GET /a HTTP/1.1\r\nHost: x\r\n"); // two slow heads hold the client's slots
            send(b, "GET /b HTTP/1.1\r\nHost: x\r\n");
            awaitOpen(server, 2); // admitted on the event loops, after connect() returned
            Socket refused = open(server);
            send(refused, "GET /v1/status HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(readToClose(refused)).startsWith("HTTP/1.1 429 ").contains("\"error\":\"too_many_connections\"");
            Socket health = open(server);
            send(health, "GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(readToClose(health)).startsWith("HTTP/1.1 200 ").containsIgnoringCase("connection: close");
            a.close();
            b.close();
            awaitOpen(server, 0);
            Socket again = open(server);
            send(again, "GET /ok HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            assertThat(readToClose(again)).startsWith("HTTP/1.1 200 ");
        }
    }

    @Test
    void overTheNodeLimitIs503() throws Exception {
        try (NettyTransport server = start(new HttpLimits(10_000, 10_000, 10_000, 1, 1))) {
            Socket a = open(server);
            send(a, "GET /a HTTP/1.1\r\nHost: x\r\n");
            awaitOpen(server, 1);
            Socket refused = open(server);
            send(refused, "GET /v1/status HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(readToClose(refused)).startsWith("HTTP/1.1 503 ").contains("\"error\":\"overloaded\"");
        }
    }

    @Test
    void halfSentRequestsThatTheClientClosesReleaseTheirConnections() throws Exception {
        try (NettyTransport server = start(HttpLimits.DEFAULTS)) {
            for (int i = 0; i < 50; i++) {
                try (Socket s = new Socket("127.0.0.1", server.port())) {
                    send(s, i % 2 == 0 ? "GET /v1/status HTTP/1.1\r\nHost: x\r\n" : "PUT /k HTTP/1.1\r\nContent-Length: 9\r\n\r\nab");
                }
            }
            awaitOpen(server, 0);
        }
    }

    private static void awaitOpen(NettyTransport server, int n) throws InterruptedException {
        for (int i = 0; i < 500 && server.openConnections() != n; i++) {
            Thread.sleep(10);
        }
        assertThat(server.openConnections()).isEqualTo(n);
    }
}

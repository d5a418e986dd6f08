package dev.baton.node.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Netty adapter on an in-memory channel: framing, keep-alive, answer order, body limit, streams. */
class NettyCallHandlerTest {

    private final List<HttpCall> calls = new ArrayList<>();
    private final EmbeddedChannel channel =
            new EmbeddedChannel(new HttpServerCodec(), new NettyCallHandler(Runnable::run, calls::add, 10));

    @Test
    void aRequestReachesTheDispatcherWithItsPartsAndItsAnswerKeepsTheConnection() {
        in("GET /v1/kv/a%2Fb?stale=true HTTP/1.1\r\nHost: x\r\nBaton-Client-Id: c1\r\n\r\n");
        assertThat(calls).hasSize(1);
        HttpCall call = calls.get(0);
        assertThat(call.method()).isEqualTo("GET");
        assertThat(call.rawPath()).isEqualTo("/v1/kv/a%2Fb");
        assertThat(call.rawQuery()).isEqualTo("stale=true");
        assertThat(call.header("baton-client-id")).isEqualTo("c1");
        call.setHeader("Location", "http://elsewhere/");
        call.send(307, "application/json", "{}".getBytes(StandardCharsets.UTF_8));
        String out = out();
        assertThat(out).startsWith("HTTP/1.1 307 Temporary Redirect\r\n")
                .containsIgnoringCase("content-length: 2\r\n")
                .containsIgnoringCase("location: http://elsewhere/\r\n")
                .endsWith("\r\n\r\n{}");
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void pipelinedRequestsAreDispatchedOneAtATimeSoTheirAnswersKeepTheirOrder() {
        in("GET /first HTTP/1.1\r\nHost: x\r\n\r\nGET /second HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(calls).extracting(HttpCall::rawPath).containsExactly("/first");
        calls.get(0).send(200, "text/plain", "1".getBytes(StandardCharsets.UTF_8));
        assertThat(calls).extracting(HttpCall::rawPath).containsExactly("/first", "/second");
        calls.get(1).send(200, "text/plain", "2".getBytes(StandardCharsets.UTF_8));
        String out = out();
        assertThat(out.indexOf("\r\n\r\n1")).isLessThan(out.indexOf("\r\n\r\n2")).isPositive();
    }

    @Test
    void aBodyOverTheLimitIs413AndOneAtTheLimitIsKept() {
        in("PUT /v1/kv/k HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n0123456789");
        assertThat(calls.get(0)).satisfies(c -> assertThat(body(c, 10)).isEqualTo("0123456789"));
        calls.get(0).send(200, "text/plain", new byte[0]);
        in("PUT /v1/kv/k HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n6\r\n012345\r\n6\r\n678901\r\n0\r\n\r\n");
        assertThatThrownBy(() -> calls.get(1).body(10))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status).isEqualTo(413));
    }

    @Test
    void connectionCloseClosesAfterTheAnswer() {
        in("GET /v1/status HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        calls.get(0).send(200, "application/json", "{}".getBytes(StandardCharsets.UTF_8));
        assertThat(out()).containsIgnoringCase("connection: close\r\n");
        channel.runPendingTasks();
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void aSecondAnswerIsIgnored() {
        in("GET /a HTTP/1.1\r\nHost: x\r\n\r\n");
        calls.get(0).send(200, "text/plain", "1".getBytes(StandardCharsets.UTF_8));
        calls.get(0).send(500, "text/plain", "2".getBytes(StandardCharsets.UTF_8));
        assertThat(out()).contains("200 OK").doesNotContain("500");
    }

    @Test
    void aStreamIsChunkedAndFlushedPieceByPiece() throws Exception {
        in("GET /v1/leader/watch HTTP/1.1\r\nHost: x\r\n\r\n");
        HttpCall.EventStream stream = calls.get(0).stream("text/event-stream");
        assertThat(stream.write("event: a\n\n")).isTrue();
        String head = out();
        assertThat(head).startsWith("HTTP/1.1 200 OK\r\n").containsIgnoringCase("transfer-encoding: chunked\r\n")
                .endsWith("a\r\nevent: a\n\n\r\n");
        channel.close();
        assertThat(stream.write(": keepalive\n\n")).isFalse();
    }

    @Test
    void aMalformedRequestIs400AndCloses() {
        in("GET /" + "x".repeat(5000) + " HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(calls).isEmpty();
        assertThat(out()).startsWith("HTTP/1.1 400 Bad Request\r\n").contains("invalid_parameter");
        channel.runPendingTasks();
        assertThat(channel.isOpen()).isFalse();
    }

    private static String body(HttpCall call, int max) {
        try {
            return new String(call.body(max), StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private void in(String raw) {
        channel.writeInbound(Unpooled.copiedBuffer(raw, StandardCharsets.US_ASCII));
    }

    private String out() {
        StringBuilder sb = new StringBuilder();
        for (ByteBuf b; (b = channel.readOutbound()) != null; ) {
            sb.append(b.toString(StandardCharsets.UTF_8));
            b.release();
        }
        return sb.toString();
    }
}

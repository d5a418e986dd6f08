package dev.baton.node.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.node.config.HttpLimits;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Which deadline runs when, on an in-memory channel with a virtual clock. */
class ConnectionDeadlinesTest {

    private static final HttpLimits LIMITS = new HttpLimits(1_000, 2_000, 5_000, 8, 8);

    private final List<HttpCall> calls = new ArrayList<>();
    private final NettyCallHandler handler = new NettyCallHandler(Runnable::run, calls::add, 10, LIMITS, new ConnectionLimits(8, 8));
    private final EmbeddedChannel channel = new EmbeddedChannel(handler.byteWatch(), new HttpServerCodec(), handler);

    @Test
    void aKeptAliveConnectionWaitsTheIdleTimeoutThenClosesQuietly() {
        answerOne();
        advance(4_000); // past the header timeout: no request begun, so only the idle timeout counts
        assertThat(channel.isOpen()).isTrue();
        advance(1_100);
        assertThat(channel.isOpen()).isFalse();
        assertThat(out()).isEmpty();
    }

    @Test
    void theFirstByteOfTheNextRequestStartsTheHeaderTimeout() {
        answerOne();
        advance(3_000);
        in("GET /next HTTP/1.1\r\n");
        advance(1_100);
        assertThat(out()).startsWith("HTTP/1.1 408 ").contains("request_timeout");
        channel.runPendingTasks();
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void aDispatchedCallHasNoDeadline() {
        in("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(calls).hasSize(1);
        advance(60_000);
        assertThat(channel.isOpen()).isTrue();
        calls.get(0).send(200, "text/plain", new byte[0]);
        assertThat(out()).startsWith("HTTP/1.1 200 ");
    }

    @Test
    void aBodyMustCompleteWithinTheBodyTimeoutFromItsHead() {
        in("PUT /k HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nab");
        advance(1_500); // past the header timeout: the head is complete, the body's deadline counts
        assertThat(channel.isOpen()).isTrue();
        advance(600);
        assertThat(out()).startsWith("HTTP/1.1 408 ").contains("2 bytes arrived");
        assertThat(calls).isEmpty();
    }

    private void answerOne() {
        in("GET /first HTTP/1.1\r\nHost: x\r\n\r\n");
        calls.get(0).send(200, "text/plain", new byte[0]);
        channel.runPendingTasks();
        assertThat(out()).startsWith("HTTP/1.1 200 ");
    }

    private void advance(long ms) {
        channel.advanceTimeBy(ms, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        channel.runPendingTasks();
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

package dev.baton.node.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TlsOnlyHandlerTest {

    @Test
    void plainHttpGetsA400JsonAndTheConnectionCloses() {
        EmbeddedChannel ch = new EmbeddedChannel(new TlsOnlyHandler(clientContextAsStandIn()));
        ch.writeInbound(Unpooled.copiedBuffer("GET /v1/status HTTP/1.1\r\nHost: x\r\n\r\n", StandardCharsets.US_ASCII));
        ByteBuf out = ch.readOutbound();
        String answer = out.toString(StandardCharsets.UTF_8);
        out.release();
        assertThat(answer).startsWith("HTTP/1.1 400 Bad Request\r\n").contains("Content-Type: application/json")
                .contains("Connection: close").endsWith(TlsOnlyHandler.PLAIN_REFUSAL_BODY);
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void aTlsRecordSwitchesToTls() {
        EmbeddedChannel ch = new EmbeddedChannel(new TlsOnlyHandler(clientContextAsStandIn()));
        // a TLS handshake record header: type 22, version 3.1, length 5, then 5 bytes
        try {
            ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {22, 3, 1, 0, 5, 1, 0, 0, 1, 0}));
        } catch (DecoderException expected) {
            // the stand-in (a client context) refuses a client hello: the bytes reached TLS
        }
        assertThat(ch.pipeline().get(TlsOnlyHandler.class)).isNull();
        for (Object out; (out = ch.readOutbound()) != null; ) { // a TLS alert, if anything; never the plain refusal
            ByteBuf b = (ByteBuf) out;
            assertThat(b.getByte(b.readerIndex())).isNotEqualTo((byte) 'H');
            b.release();
        }
        ch.close();
    }

    @Test
    void fewerThanARecordHeaderWaits() {
        EmbeddedChannel ch = new EmbeddedChannel(new TlsOnlyHandler(clientContextAsStandIn()));
        ch.writeInbound(Unpooled.copiedBuffer("GET", StandardCharsets.US_ASCII));
        Object none = ch.readOutbound();
        assertThat(none).isNull();
        assertThat(ch.isOpen()).isTrue();
        ch.finishAndReleaseAll();
    }

    /** Any context makes an SslHandler; the switch, not the handshake, is under test. */
    private static SslContext clientContextAsStandIn() {
        try {
            return SslContextBuilder.forClient().sslProvider(SslProvider.JDK).build();
        } catch (javax.net.ssl.SSLException e) {
            throw new IllegalStateException(e);
        }
    }
}

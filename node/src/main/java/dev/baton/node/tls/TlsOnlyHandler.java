package dev.baton.node.tls;

import dev.baton.client.wire.ErrorCodes;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * First handler of an HTTPS connection: looks at the first bytes. A TLS record replaces this
 * handler with an {@link SslHandler} of the context current when the connection came in; anything
 * else (plain HTTP to the HTTPS port) gets a plain {@code 400} JSON answer saying the port speaks
 * HTTPS, and the connection is closed. Unlike Netty's {@code OptionalSslHandler} this never serves
 * plain HTTP. Failed handshakes (a client that does not trust us, or has no certificate when one is
 * required) are logged at debug: they are the client's problem, not the node's.
 */
final class TlsOnlyHandler extends ByteToMessageDecoder {

    private static final Logger log = LoggerFactory.getLogger(TlsOnlyHandler.class);

    /** A TLS record header is 5 bytes: type, version (2), length (2). */
    private static final int RECORD_HEADER = 5;

    static final String PLAIN_REFUSAL_BODY = "{\"error\":\"" + ErrorCodes.HTTPS_REQUIRED
            + "\",\"message\":\"this port speaks HTTPS only; use an https:// URL\"}";

    private final SslContext context;

    TlsOnlyHandler(SslContext context) {
        this.context = context;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (in.readableBytes() < RECORD_HEADER) {
            return;
        }
        if (SslHandler.isEncrypted(in, false)) {
            // the outcome handler first: the replace hands the bytes read so far to TLS at once
            ctx.pipeline().addAfter(ctx.name(), "ssl-outcome", new HandshakeOutcome());
            ctx.pipeline().replace(this, "ssl", context.newHandler(ctx.alloc()));
            return;
        }
        log.debug("plain HTTP from {} on the HTTPS port: answered 400 and closed", ctx.channel().remoteAddress());
        in.skipBytes(in.readableBytes());
        byte[] body = PLAIN_REFUSAL_BODY.getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nContent-Length: " + body.length
                + "\r\nConnection: close\r\n\r\n";
        ByteBuf rsp = Unpooled.wrappedBuffer(head.getBytes(StandardCharsets.US_ASCII), body);
        ctx.writeAndFlush(rsp).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("HTTPS connection from {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }

    /** Logs a failed handshake at debug and closes; passes everything else on. */
    private static final class HandshakeOutcome extends io.netty.channel.ChannelInboundHandlerAdapter {
        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
            if (evt instanceof SslHandshakeCompletionEvent e) {
                if (!e.isSuccess()) {
                    log.debug("TLS handshake with {} failed: {}", ctx.channel().remoteAddress(), e.cause().toString());
                    ctx.close();
                }
                ctx.pipeline().remove(this);
                return;
            }
            super.userEventTriggered(ctx, evt);
        }
    }
}

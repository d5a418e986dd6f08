package dev.baton.node.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link HttpCall} on a Netty channel. The request side is filled in by {@link NettyCallHandler}
 * on the channel's event loop before the call is dispatched, and only read after; the answer may
 * be written from any thread (Netty hands writes to the event loop). {@code onAnswered} runs on
 * the event loop once a complete answer is written and the connection stays open.
 */
final class NettyCall implements HttpCall {

    private static final Logger log = LoggerFactory.getLogger(NettyCall.class);

    private final Channel channel;
    private final HttpRequest request;
    private final RequestTarget target;
    private final int maxBody;
    private final Runnable onAnswered;
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private long received; // body bytes seen, kept or not
    private final HttpHeaders responseHeaders = new DefaultHttpHeaders();
    private final AtomicBoolean answered = new AtomicBoolean();

    private volatile boolean streaming;

    NettyCall(Channel channel, HttpRequest request, RequestTarget target, int maxBody, Runnable onAnswered) {
        this.channel = channel;
        this.request = request;
        this.target = target;
        this.maxBody = maxBody;
        this.onAnswered = onAnswered;
    }

    /** Body bytes received so far (event loop). */
    long received() {
        return received;
    }

    /** Whether the answer is an event stream, which ends only when it or the client closes. */
    boolean streaming() {
        return streaming;
    }

    /** Event loop, before dispatch: keeps up to one byte past the limit; the rest is only counted. */
    void append(ByteBuf content) {
        int n = content.readableBytes();
        received += n;
        int room = maxBody + 1 - body.size();
        if (room > 0) {
            byte[] kept = new byte[Math.min(room, n)];
            content.readBytes(kept);
            body.write(kept, 0, kept.length);
        }
    }

    @Override
    public String method() {
        return request.method().name();
    }

    @Override
    public String rawPath() {
        return target.rawPath();
    }

    @Override
    public String rawQuery() {
        return target.rawQuery();
    }

    @Override
    public String header(String name) {
        return request.headers().get(name);
    }

    @Override
    public byte[] body(int max) {
        Exchanges.checkDeclaredLength(header("Content-Length"), max);
        if (received > max || max > maxBody && received > maxBody) {
            throw Exchanges.tooLarge(received, max);
        }
        return body.toByteArray();
    }

    @Override
    public void setHeader(String name, String value) {
        responseHeaders.set(name, value);
    }

    @Override
    public void send(int status, String contentType, byte[] bytes) {
        if (!answered.compareAndSet(false, true)) {
            log.warn("second answer to {} {} ignored (status {})", method(), rawPath(), status, new IllegalStateException("answered twice"));
            return;
        }
        responseHeaders.set(HttpHeaderNames.CONTENT_TYPE, contentType);
        responseHeaders.setInt(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
        boolean keepAlive = keepAlive();
        var response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status),
                Unpooled.wrappedBuffer(bytes), responseHeaders, EmptyHttpHeaders.INSTANCE);
        channel.writeAndFlush(response).addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess()) {
                log.debug("client went away before the answer to {} {} was sent: {}", method(), rawPath(), f.cause().toString());
                f.channel().close();
            } else if (!keepAlive) {
                f.channel().close();
            } else {
                onAnswered.run();
            }
        });
    }

    /** HTTP/1.1 keeps the connection unless the client says close; HTTP/1.0 only if it asks. */
    private boolean keepAlive() {
        boolean keep = HttpUtil.isKeepAlive(request);
        if (!keep) {
            responseHeaders.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        } else if (request.protocolVersion().equals(HttpVersion.HTTP_1_0)) {
            responseHeaders.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
        return keep;
    }

    @Override
    public EventStream stream(String contentType) throws IOException {
        if (!answered.compareAndSet(false, true)) {
            throw new IllegalStateException(method() + " " + rawPath() + " is already answered");
        }
        if (!channel.isActive()) {
            throw new IOException("client gone");
        }
        streaming = true;
        responseHeaders.set(HttpHeaderNames.CONTENT_TYPE, contentType);
        responseHeaders.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        channel.writeAndFlush(new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, responseHeaders));
        // read again, so that the client closing the stream is seen at once (a request it might
        // send on this connection is queued, never answered: the stream has it until it ends)
        channel.config().setAutoRead(true);
        return new EventStream() {
            @Override
            public boolean write(String text) {
                if (!channel.isActive()) {
                    return false;
                }
                if (!channel.isWritable()) {
                    // more than the channel's high-water mark (64 KiB) is queued: the client
                    // stopped reading, and holding events for it would only grow the heap
                    log.debug("watch stream to {} dropped: the client is not reading", remote());
                    channel.close();
                    return false;
                }
                channel.writeAndFlush(new DefaultHttpContent(Unpooled.copiedBuffer(text, StandardCharsets.UTF_8)));
                return true;
            }

            @Override
            public void close() {
                channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener(ChannelFutureListener.CLOSE);
            }
        };
    }

    @Override
    public String remote() {
        return String.valueOf(channel.remoteAddress());
    }
}

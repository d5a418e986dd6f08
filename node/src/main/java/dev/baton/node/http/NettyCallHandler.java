package dev.baton.node.http;

import dev.baton.client.wire.ErrorBody;
import dev.baton.client.wire.ErrorCodes;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection's requests: gathers each request and its body into a {@link NettyCall} and
 * dispatches it on {@code workers} (handlers may take locks and must not stall the event loop).
 *
 * <p>One call at a time per connection, as HTTP/1.1 requires answers in request order while ours
 * are written asynchronously: reading stops when a call is dispatched and resumes once it is
 * answered; anything already decoded meanwhile (a pipelining client) waits in {@code held}.
 *
 * <p>Threading: every method runs on the channel's event loop, which owns all fields.
 */
final class NettyCallHandler extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(NettyCallHandler.class);

    private final Executor workers;
    private final Consumer<HttpCall> dispatcher;
    private final int maxBody;
    private final Queue<HttpObject> held = new ArrayDeque<>();
    private NettyCall reading; // the call whose body is arriving
    private boolean busy; // a call is dispatched and not yet answered
    private ChannelHandlerContext ctx;

    NettyCallHandler(Executor workers, Consumer<HttpCall> dispatcher, int maxBody) {
        this.workers = workers;
        this.dispatcher = dispatcher;
        this.maxBody = maxBody;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof HttpObject o)) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (busy) {
            held.add(o);
            return;
        }
        handle(o);
    }

    private void handle(HttpObject msg) {
        try {
            if (msg instanceof HttpRequest request) {
                if (request.decoderResult().isFailure()) {
                    refuse(request.decoderResult().cause());
                    return;
                }
                if (HttpUtil.is100ContinueExpected(request)) {
                    ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE, Unpooled.EMPTY_BUFFER));
                }
                reading = new NettyCall(ctx.channel(), request, maxBody, this::answered);
            }
            if (msg instanceof HttpContent content && reading != null) {
                reading.append(content.content());
                if (content instanceof LastHttpContent) {
                    dispatch(reading);
                    reading = null;
                }
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void dispatch(NettyCall call) {
        busy = true;
        ctx.channel().config().setAutoRead(false);
        try {
            workers.execute(() -> dispatcher.accept(call));
        } catch (RejectedExecutionException e) {
            ctx.close(); // shutting down
        }
    }

    /** Event loop: the dispatched call is answered; take the next request. */
    private void answered() {
        if (!ctx.executor().inEventLoop()) {
            ctx.executor().execute(this::answered);
            return;
        }
        busy = false;
        while (!busy && !held.isEmpty()) {
            handle(held.poll());
        }
        if (!busy) {
            ctx.channel().config().setAutoRead(true);
        }
    }

    /** A request line or headers the decoder could not parse (e.g. too long): 400, then close. */
    private void refuse(Throwable cause) {
        byte[] body = Json.bytes(ErrorBody.of(ErrorCodes.INVALID_PARAMETER, "malformed HTTP request: " + cause));
        var response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.BAD_REQUEST, Unpooled.wrappedBuffer(body));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json")
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length)
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        busy = true; // nothing more is read on this connection
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        held.forEach(ReferenceCountUtil::release);
        held.clear();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("HTTP connection from {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
